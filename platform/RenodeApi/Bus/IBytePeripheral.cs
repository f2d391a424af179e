namespace Antmicro.Renode.Peripherals.Bus;

/// <summary>Renode's IBytePeripheral; the engine's bus calls it through the engine interface it extends.</summary>
public interface IBytePeripheral : IBusPeripheral, Emulator.Core.IBytePeripheral
{
}
