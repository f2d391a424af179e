using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Emulator.Core;

namespace Emulator.Peripherals.Memory;

/// <summary>
/// RAM (Renode's `Memory.MappedMemory`). The storage is one pinned block so the system bus and the harts
/// can reach it through a raw pointer after a single range check; Reset keeps the contents, as in Renode.
/// </summary>
public sealed unsafe class MappedMemory : IBytePeripheral, IWordPeripheral, IDoubleWordPeripheral, IQuadWordPeripheral, IKnownSize
{
    private readonly byte[] storage;

    public MappedMemory(long size)
    {
        if (size <= 0)
        {
            throw new EmulationException($"memory size must be positive, got {size}");
        }
        if (size > 16L << 30)
        {
            throw new EmulationException($"memory size 0x{size:X} is larger than the 16 GiB this emulator supports");
        }
        storage = GC.AllocateArray<byte>(checked((int)Math.Min(size, int.MaxValue)) == size ? (int)size : throw new EmulationException("memory larger than 2 GiB is not supported"), pinned: true);
        Pointer = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(storage, 0);
        Size = size;
    }

    public long Size { get; }

    /// <summary>Start of the pinned storage; valid for the lifetime of this object.</summary>
    public byte* Pointer { get; }

    public Span<byte> Span => storage;

    public void Reset()
    {
    }

    public byte ReadByte(long offset) => storage[offset];

    public void WriteByte(long offset, byte value) => storage[offset] = value;

    public ushort ReadWord(long offset) => BinaryPrimitives.ReadUInt16LittleEndian(storage.AsSpan((int)offset));

    public void WriteWord(long offset, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(storage.AsSpan((int)offset), value);

    public uint ReadDoubleWord(long offset) => BinaryPrimitives.ReadUInt32LittleEndian(storage.AsSpan((int)offset));

    public void WriteDoubleWord(long offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(storage.AsSpan((int)offset), value);

    public ulong ReadQuadWord(long offset) => BinaryPrimitives.ReadUInt64LittleEndian(storage.AsSpan((int)offset));

    public void WriteQuadWord(long offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(storage.AsSpan((int)offset), value);
}
