using Emulator.Core;
using Emulator.Logging;
using Emulator.Peripherals.Memory;

namespace Emulator.Bus;

/// <summary>
/// The address map. The first MappedMemory registered is the "main RAM" that harts reach directly through
/// <see cref="RamPointer"/>; every other access goes to the peripheral registered over the address, with the
/// offset relative to its base. An unmapped access returns false to the caller (a hart turns it into an
/// access fault) and is logged as a warning: it never throws.
/// </summary>
public sealed unsafe class SystemBus
{
    private readonly Machine machine;
    private readonly List<BusRegistration> registrations = new();
    private BusRegistration? lastHit;

    internal SystemBus(Machine machine)
    {
        this.machine = machine;
    }

    public ulong RamBase { get; private set; }

    public ulong RamSize { get; private set; }

    public byte* RamPointer { get; private set; }

    public MappedMemory? Ram { get; private set; }

    public IReadOnlyList<BusRegistration> Registrations => registrations;

    /// <summary>Raised after a store that reached main RAM through the slow path (monitor, loader, GDB), so caches can drop decoded code.</summary>
    public event Action<ulong, ulong>? RamWritten;

    public void Register(IBusPeripheral peripheral, ulong address, ulong size, string name)
    {
        if (size == 0)
        {
            throw new EmulationException($"cannot register {name} with size 0");
        }
        foreach (var r in registrations)
        {
            if (address < r.End && r.Start < address + size)
            {
                throw new EmulationException($"{name} at 0x{address:X}..0x{address + size - 1:X} overlaps {r.Name} at 0x{r.Start:X}..0x{r.End - 1:X}");
            }
        }
        var registration = new BusRegistration(peripheral, address, size, name);
        registrations.Add(registration);
        registrations.Sort((a, b) => a.Start.CompareTo(b.Start));
        if (peripheral is MappedMemory memory && Ram == null)
        {
            Ram = memory;
            RamBase = address;
            RamSize = size;
            RamPointer = memory.Pointer;
        }
    }

    public void Unregister(IBusPeripheral peripheral)
    {
        registrations.RemoveAll(r => ReferenceEquals(r.Peripheral, peripheral));
        lastHit = null;
        if (ReferenceEquals(peripheral, Ram))
        {
            Ram = null;
            RamBase = 0;
            RamSize = 0;
            RamPointer = null;
        }
    }

    public BusRegistration? FindRegistration(ulong address)
    {
        var hit = lastHit;
        if (hit != null && hit.Contains(address))
        {
            return hit;
        }
        foreach (var r in registrations)
        {
            if (r.Contains(address))
            {
                lastHit = r;
                return r;
            }
        }
        return null;
    }

    public BusRegistration? FindRegistration(IBusPeripheral peripheral) => registrations.Find(r => ReferenceEquals(r.Peripheral, peripheral));

    public bool IsRam(ulong address, ulong size) => address - RamBase < RamSize && address + size - RamBase <= RamSize;

    /// <summary>Reads 1, 2, 4 or 8 bytes. Returns false when nothing is mapped there.</summary>
    public bool TryRead(ulong address, int size, out ulong value)
    {
        if (IsRam(address, (ulong)size))
        {
            var p = RamPointer + (address - RamBase);
            value = size switch
            {
                1 => *p,
                2 => *(ushort*)p,
                4 => *(uint*)p,
                _ => *(ulong*)p,
            };
            return true;
        }
        var r = FindRegistration(address);
        if (r == null || address + (ulong)size > r.End)
        {
            value = 0;
            machine.Log.Warning("sysbus", $"read{size * 8} from non-existing peripheral at 0x{address:X}");
            return false;
        }
        value = ReadFrom(r, (long)(address - r.Start), size);
        if (r.LogAccesses)
        {
            machine.Log.Info(r.Name, $"[{machine.CurrentHartDescription}] ReadUInt{size * 8} from 0x{address - r.Start:X}, returned 0x{value:X}");
        }
        return true;
    }

    /// <summary>Writes 1, 2, 4 or 8 bytes. Returns false when nothing is mapped there.</summary>
    public bool TryWrite(ulong address, int size, ulong value)
    {
        if (IsRam(address, (ulong)size))
        {
            var p = RamPointer + (address - RamBase);
            switch (size)
            {
                case 1: *p = (byte)value; break;
                case 2: *(ushort*)p = (ushort)value; break;
                case 4: *(uint*)p = (uint)value; break;
                default: *(ulong*)p = value; break;
            }
            RamWritten?.Invoke(address, (ulong)size);
            return true;
        }
        var r = FindRegistration(address);
        if (r == null || address + (ulong)size > r.End)
        {
            machine.Log.Warning("sysbus", $"write{size * 8} to non-existing peripheral at 0x{address:X}, value 0x{value:X}");
            return false;
        }
        if (r.LogAccesses)
        {
            machine.Log.Info(r.Name, $"[{machine.CurrentHartDescription}] WriteUInt{size * 8} to 0x{address - r.Start:X}, value 0x{value:X}");
        }
        WriteTo(r, (long)(address - r.Start), size, value);
        return true;
    }

    public byte ReadByte(ulong address) => TryRead(address, 1, out var v) ? (byte)v : (byte)0;

    public ushort ReadWord(ulong address) => TryRead(address, 2, out var v) ? (ushort)v : (ushort)0;

    public uint ReadDoubleWord(ulong address) => TryRead(address, 4, out var v) ? (uint)v : 0u;

    public ulong ReadQuadWord(ulong address) => TryRead(address, 8, out var v) ? v : 0ul;

    public void WriteByte(ulong address, byte value) => TryWrite(address, 1, value);

    public void WriteWord(ulong address, ushort value) => TryWrite(address, 2, value);

    public void WriteDoubleWord(ulong address, uint value) => TryWrite(address, 4, value);

    public void WriteQuadWord(ulong address, ulong value) => TryWrite(address, 8, value);

    /// <summary>Copies bytes into the address space (loaders); false if any part is unmapped or not memory.</summary>
    public bool WriteBytes(ulong address, ReadOnlySpan<byte> data)
    {
        if (IsRam(address, (ulong)data.Length))
        {
            data.CopyTo(new Span<byte>(RamPointer + (address - RamBase), data.Length));
            RamWritten?.Invoke(address, (ulong)data.Length);
            return true;
        }
        var r = FindRegistration(address);
        if (r == null || address + (ulong)data.Length > r.End || r.Peripheral is not MappedMemory memory)
        {
            return false;
        }
        data.CopyTo(memory.Span.Slice((int)(address - r.Start)));
        return true;
    }

    public bool ReadBytes(ulong address, Span<byte> destination)
    {
        if (IsRam(address, (ulong)destination.Length))
        {
            new ReadOnlySpan<byte>(RamPointer + (address - RamBase), destination.Length).CopyTo(destination);
            return true;
        }
        for (var i = 0; i < destination.Length; i++)
        {
            if (!TryRead(address + (ulong)i, 1, out var b))
            {
                return false;
            }
            destination[i] = (byte)b;
        }
        return true;
    }

    // Width adaptation: a peripheral that lacks the access width is served by the nearest width it has,
    // as Renode's AllowedTranslations do (wider accesses split, narrower ones read-modify-write).
    private static ulong ReadFrom(BusRegistration r, long offset, int size)
    {
        var p = r.Peripheral;
        switch (size)
        {
            case 1 when p is IBytePeripheral b: return b.ReadByte(offset);
            case 2 when p is IWordPeripheral w: return w.ReadWord(offset);
            case 4 when p is IDoubleWordPeripheral d: return d.ReadDoubleWord(offset);
            case 8 when p is IQuadWordPeripheral q: return q.ReadQuadWord(offset);
        }
        if (size == 8 && p is IDoubleWordPeripheral d2)
        {
            return d2.ReadDoubleWord(offset) | ((ulong)d2.ReadDoubleWord(offset + 4) << 32);
        }
        if (size < 4 && p is IDoubleWordPeripheral d3)
        {
            var aligned = offset & ~3L;
            var shift = (int)(offset - aligned) * 8;
            return (d3.ReadDoubleWord(aligned) >> shift) & (size == 1 ? 0xFFu : 0xFFFFu);
        }
        if (p is IBytePeripheral b2)
        {
            ulong v = 0;
            for (var i = 0; i < size; i++)
            {
                v |= (ulong)b2.ReadByte(offset + i) << (8 * i);
            }
            return v;
        }
        if (p is IQuadWordPeripheral q2)
        {
            var aligned = offset & ~7L;
            var shift = (int)(offset - aligned) * 8;
            var mask = size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;
            return (q2.ReadQuadWord(aligned) >> shift) & mask;
        }
        if (p is IWordPeripheral w2)
        {
            ulong v = 0;
            for (var i = 0; i < size; i += 2)
            {
                v |= (ulong)w2.ReadWord(offset + i) << (8 * i);
            }
            return v;
        }
        return 0;
    }

    private static void WriteTo(BusRegistration r, long offset, int size, ulong value)
    {
        var p = r.Peripheral;
        switch (size)
        {
            case 1 when p is IBytePeripheral b: b.WriteByte(offset, (byte)value); return;
            case 2 when p is IWordPeripheral w: w.WriteWord(offset, (ushort)value); return;
            case 4 when p is IDoubleWordPeripheral d: d.WriteDoubleWord(offset, (uint)value); return;
            case 8 when p is IQuadWordPeripheral q: q.WriteQuadWord(offset, value); return;
        }
        if (size == 8 && p is IDoubleWordPeripheral d2)
        {
            d2.WriteDoubleWord(offset, (uint)value);
            d2.WriteDoubleWord(offset + 4, (uint)(value >> 32));
            return;
        }
        if (size < 4 && p is IDoubleWordPeripheral d3)
        {
            var aligned = offset & ~3L;
            var shift = (int)(offset - aligned) * 8;
            var mask = (size == 1 ? 0xFFu : 0xFFFFu) << shift;
            var old = d3.ReadDoubleWord(aligned);
            d3.WriteDoubleWord(aligned, (old & ~mask) | (((uint)value << shift) & mask));
            return;
        }
        if (p is IBytePeripheral b2)
        {
            for (var i = 0; i < size; i++)
            {
                b2.WriteByte(offset + i, (byte)(value >> (8 * i)));
            }
            return;
        }
        if (p is IQuadWordPeripheral q2)
        {
            var aligned = offset & ~7L;
            var shift = (int)(offset - aligned) * 8;
            var mask = ((1UL << (size * 8)) - 1) << shift;
            var old = q2.ReadQuadWord(aligned);
            q2.WriteQuadWord(aligned, (old & ~mask) | ((value << shift) & mask));
            return;
        }
        if (p is IWordPeripheral w2)
        {
            for (var i = 0; i < size; i += 2)
            {
                w2.WriteWord(offset + i, (ushort)(value >> (8 * i)));
            }
        }
    }
}
