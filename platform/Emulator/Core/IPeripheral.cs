namespace Emulator.Core;

/// <summary>Anything that can sit in a machine. Reset restores the power-on state (RAM keeps its contents).</summary>
public interface IPeripheral
{
    void Reset();
}
