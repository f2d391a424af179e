namespace Antmicro.Renode.Peripherals.Bus;

/// <summary>Renode's IWordPeripheral; the engine's bus calls it through the engine interface it extends.</summary>
public interface IWordPeripheral : IBusPeripheral, Emulator.Core.IWordPeripheral
{
}
