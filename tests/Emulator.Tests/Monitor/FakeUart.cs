using System.Collections.Concurrent;
using Emulator.Core;

namespace Emulator.Tests.Monitor;

/// <summary>A UART stand-in: records what the host types and lets a test play guest output.</summary>
public sealed class FakeUart : IUART, IBytePeripheral
{
    public BlockingCollection<byte> Typed { get; } = new();

    public event Action<byte>? CharReceived;

    public void WriteChar(byte value) => Typed.Add(value);

    public void Transmit(string text)
    {
        foreach (var ch in text)
        {
            CharReceived?.Invoke((byte)ch);
        }
    }

    public byte ReadByte(long offset) => 0;

    public void WriteByte(long offset, byte value) => CharReceived?.Invoke(value);

    public void Reset()
    {
    }
}
