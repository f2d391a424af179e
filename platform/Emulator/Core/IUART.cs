namespace Emulator.Core;

/// <summary>
/// The host side of a serial port, as Renode's IUART: <see cref="CharReceived"/> fires (on the emulation
/// thread) for every byte the guest transmits; <see cref="WriteChar"/> queues a byte for the guest to
/// receive. Implementations deliver queued bytes only as their receive FIFO has room, so none is dropped,
/// and WriteChar may be called from any thread.
/// </summary>
public interface IUART : IPeripheral
{
    event Action<byte>? CharReceived;

    void WriteChar(byte value);
}
