namespace Emulator.Core;

/// <summary>
/// A device that takes bytes from the host (a UART's receive side). <see cref="Terminals.HostInput"/> calls
/// <see cref="ReceiveHostInput"/> on the emulation thread at a slice boundary, never in the middle of a
/// hart's slice, so what the guest reads does not depend on host timing.
/// </summary>
public interface IHostInputReceiver : IPeripheral
{
    void ReceiveHostInput(ReadOnlySpan<byte> bytes);
}
