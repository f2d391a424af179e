namespace Antmicro.Renode.Core;

/// <summary>
/// Renode's GPIO under its own name: the engine's line (receivers called on level changes only), so a .repl
/// wires `IRQ -> plic@5` from a Renode-style peripheral exactly as from a built-in one.
/// </summary>
public sealed class GPIO : Emulator.Core.GPIO, IGPIO
{
    public void Connect(IGPIOReceiver destination, int destinationNumber) =>
        base.Connect(destination, destinationNumber);

    public override string ToString() => IsSet ? "GPIO: set" : "GPIO: unset";
}
