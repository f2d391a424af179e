namespace Antmicro.Renode.Peripherals.Bus;

/// <summary>Renode's IBusPeripheral: something that can be registered on the system bus.</summary>
public interface IBusPeripheral : IPeripheral, Emulator.Core.IBusPeripheral
{
}
