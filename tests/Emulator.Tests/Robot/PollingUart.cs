using System.Collections.Concurrent;
using Emulator.Core;

namespace Emulator.Tests.Robot;

/// <summary>
/// A minimal byte UART for guest programs: offset 0 write = transmit, offset 0 read = receive (0 when
/// empty), offset 5 bit 0 = data ready. Enough for a polling shell without the real NS16550.
/// </summary>
public sealed class PollingUart : IBytePeripheral, IUART
{
    private readonly ConcurrentQueue<byte> input = new();

    public event Action<byte>? CharReceived;

    public void Reset()
    {
    }

    public void WriteChar(byte value) => input.Enqueue(value);

    public byte ReadByte(long offset) => offset switch
    {
        0 => input.TryDequeue(out var b) ? b : (byte)0,
        5 => (byte)(input.IsEmpty ? 0x60 : 0x61),
        _ => 0,
    };

    public void WriteByte(long offset, byte value)
    {
        if (offset == 0)
        {
            CharReceived?.Invoke(value);
        }
    }
}
