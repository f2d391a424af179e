namespace Emulator.Core;

/// <summary>32-bit bus access; offsets are relative to the registration address.</summary>
public interface IDoubleWordPeripheral : IBusPeripheral
{
    uint ReadDoubleWord(long offset);
    void WriteDoubleWord(long offset, uint value);
}
