namespace Emulator.Core;

/// <summary>Marker for peripherals that can be registered on the system bus.</summary>
public interface IBusPeripheral : IPeripheral
{
}
