using Emulator.MemoryModels;

namespace Emulator.Peripherals.CPU;

/// <summary>
/// The hart's side of the RVWMO memory model (docs/exploration.md). Under SC <see cref="storeBuffer"/> is null
/// and the slow paths test only that; under RVWMO the direct RAM path and translation are off, RAM stores go
/// to the buffer, RAM loads read through it, and whatever must be ordered drains it first: device (MMIO)
/// accesses, atomics (LR, SC, AMO: they act on memory, after every older store), FENCE.I, SFENCE.VMA and page
/// table walks, WFI.
/// </summary>
public sealed unsafe partial class RiscV64
{
    private StoreBuffer? storeBuffer;

    internal StoreBuffer? StoreBufferForModel => storeBuffer;

    internal void AttachStoreBuffer(StoreBuffer? buffer)
    {
        if (storeBuffer == null && buffer == null)
        {
            return;
        }
        storeBuffer?.DrainAll();
        storeBuffer = buffer;
        UpdateTranslationState();
    }

    /// <summary>A RAM load under RVWMO: true with the value (forwarded from the buffer where it holds the bytes); false for a device, after draining.</summary>
    private bool TryModelLoad(ulong pa, int size, out ulong value)
    {
        if (ramUsable && pa - ramBase <= ramSize - (ulong)size)
        {
            value = storeBuffer!.Load(pa, size);
            return true;
        }
        storeBuffer!.DrainAll();
        value = 0;
        return false;
    }

    /// <summary>A RAM store under RVWMO goes to the buffer (true); a device store drains the buffer first (false).</summary>
    private bool TryModelStore(ulong pa, int size, ulong value)
    {
        if (ramUsable && pa - ramBase <= ramSize - (ulong)size)
        {
            storeBuffer!.Store(pa, size, value);
            return true;
        }
        storeBuffer!.DrainAll();
        return false;
    }

    internal ulong ReadRamForModel(ulong pa, int size)
    {
        var p = ram + (pa - ramBase);
        return size switch { 1 => *p, 2 => *(ushort*)p, 4 => *(uint*)p, _ => *(ulong*)p };
    }

    /// <summary>A buffered store reaches memory: the same consequences as a direct store (code, reservations, HTIF).</summary>
    internal void CommitForModel(ulong pa, int size, ulong value)
    {
        var off = pa - ramBase;
        var p = ram + off;
        switch (size)
        {
            case 1: *p = (byte)value; break;
            case 2: *(ushort*)p = (ushort)value; break;
            case 4: *(uint*)p = (uint)value; break;
            default: *(ulong*)p = value; break;
        }
        AfterRamStore(pa, off, size, value);
    }
}
