namespace Antmicro.Renode.Peripherals.Bus;

/// <summary>Renode's IQuadWordPeripheral; the engine's bus calls it through the engine interface it extends.</summary>
public interface IQuadWordPeripheral : IBusPeripheral, Emulator.Core.IQuadWordPeripheral
{
}
