namespace Emulator.Core;

/// <summary>One destination pin of a GPIO line.</summary>
// A class: a list of a reference type runs the runtime's precompiled shared code, a list of a struct is compiled by
// the JIT when the first board loads.
public sealed record GpioEndpoint(IGPIOReceiver Receiver, int Number);
