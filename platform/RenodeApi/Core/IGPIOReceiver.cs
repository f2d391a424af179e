namespace Antmicro.Renode.Core;

/// <summary>Renode's IGPIOReceiver: a peripheral with numbered input lines (`-> name@N` in a .repl).</summary>
public interface IGPIOReceiver : Antmicro.Renode.Peripherals.IPeripheral, Emulator.Core.IGPIOReceiver
{
}
