namespace Antmicro.Renode.Peripherals;

/// <summary>Renode's IPeripheral; it is the engine's peripheral too, so the machine can hold and reset it.</summary>
public interface IPeripheral : Antmicro.Renode.Core.IEmulationElement, Emulator.Core.IPeripheral
{
}
