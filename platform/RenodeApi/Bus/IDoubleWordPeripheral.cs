namespace Antmicro.Renode.Peripherals.Bus;

/// <summary>Renode's IDoubleWordPeripheral; the engine's bus calls it through the engine interface it extends.</summary>
public interface IDoubleWordPeripheral : IBusPeripheral, Emulator.Core.IDoubleWordPeripheral
{
}
