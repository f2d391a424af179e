namespace Emulator.Core;

/// <summary>Something with numbered input lines (an interrupt controller, a CPU).</summary>
public interface IGPIOReceiver : IPeripheral
{
    void OnGPIO(int number, bool value);
}
