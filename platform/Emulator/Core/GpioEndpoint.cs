namespace Emulator.Core;

/// <summary>One destination pin of a GPIO line.</summary>
public readonly record struct GpioEndpoint(IGPIOReceiver Receiver, int Number);
