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

    /// <summary>
    /// A RAM load under RVWMO: true with the value (forwarded from the buffer where it holds the bytes, else
    /// one its views allow); false for a device, after draining (device accesses order every later load).
    /// </summary>
    private bool TryModelLoad(ulong pa, int size, out ulong value)
    {
        if (ramUsable && pa - ramBase <= ramSize - (ulong)size)
        {
            value = storeBuffer!.Load(pa, size, AddressViewOfLoad());
            return true;
        }
        storeBuffer!.DrainAndOrderLoads();
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
        storeBuffer!.DrainAndOrderLoads();
        return false;
    }

    /// <summary>The view of the executing load's base register (address dependency); now when the load is not decoded in place.</summary>
    private ulong AddressViewOfLoad()
    {
        var views = storeBuffer!.Views;
        if (views.Pending && views.PendingPc == pc && TryPeekDecoded(pc, out var op, out _, out var rs1, out _, out _)
            && op >= Opcode.Lb && op <= Opcode.Lwu)
        {
            return views.Register(rs1);
        }
        return storeBuffer.Now;
    }

    /// <summary>The instruction at <paramref name="at"/> if the fetch cache holds it decoded (no fetch, no fault).</summary>
    private bool TryPeekDecoded(ulong at, out Opcode op, out int rd, out int rs1, out int rs2, out uint raw)
    {
        var slots = fetchSlots;
        if ((at >> 12) == fetchVirtualPage && slots != null)
        {
            ref var d = ref slots[(at & 0xFFF) >> 1];
            if (d.Op != Opcode.Undecoded)
            {
                op = d.Op;
                rd = d.Rd;
                rs1 = d.Rs1;
                rs2 = d.Rs2;
                raw = d.Raw;
                return true;
            }
        }
        op = Opcode.Undecoded;
        rd = rs1 = rs2 = 0;
        raw = 0;
        return false;
    }

    /// <summary>
    /// At an instruction boundary under RVWMO (the interpreter's attention check, kept set): the previous
    /// instruction's effect on register views, if it retired. A trap in between (the instruction did not
    /// retire) orders every later load, conservatively.
    /// </summary>
    private void RetireForModel()
    {
        var views = storeBuffer!.Views;
        if (!views.Pending)
        {
            return;
        }
        views.Pending = false;
        var now = storeBuffer.Now;
        if (retired == views.PendingRetired)
        {
            views.Trapped(now);
            return;
        }
        if (retired != views.PendingRetired + 1)
        {
            views.Unknown(now);
            return;
        }
        if (views.PendingDecoded)
        {
            views.Retired(views.PendingOp, views.PendingRd, views.PendingRs1, views.PendingRs2, views.PendingRaw, now);
        }
        else if (TryPeekDecoded(views.PendingPc, out var op, out var rd, out var rs1, out var rs2, out var raw))
        {
            views.Retired(op, rd, rs1, rs2, raw, now);
        }
        else
        {
            views.Unknown(now);
        }
    }

    /// <summary>Before an instruction under RVWMO: remembers it, so its effect on views can be applied once it retires.</summary>
    private void BeginForModel()
    {
        var views = storeBuffer!.Views;
        views.Pending = true;
        views.PendingPc = pc;
        views.PendingRetired = retired;
        views.LoadView = HartViews.Latest;
        views.PendingDecoded = TryPeekDecoded(pc, out views.PendingOp, out var rd, out var rs1, out var rs2, out views.PendingRaw);
        views.PendingRd = (byte)rd;
        views.PendingRs1 = (byte)rs1;
        views.PendingRs2 = (byte)rs2;
    }

    internal bool IsRamGranuleForModel(ulong granule) => ramUsable && granule - ramBase <= ramSize - 8;

    internal ulong ReadRamForModel(ulong pa, int size)
    {
        var p = ram + (pa - ramBase);
        return size switch { 1 => *p, 2 => *(ushort*)p, 4 => *(uint*)p, _ => *(ulong*)p };
    }

    /// <summary>
    /// A buffered store reaches memory: the same consequences as a direct store (code, reservations, HTIF),
    /// and a new value in the history of each granule it touches.
    /// </summary>
    internal void CommitForModel(ulong pa, int size, ulong value)
    {
        var off = pa - ramBase;
        var p = ram + off;
        var first = pa & ~7UL;
        var last = (pa + (ulong)size - 1) & ~7UL;
        var beforeFirst = IsRamGranuleForModel(first) ? ReadRamForModel(first, 8) : 0;
        var beforeLast = last != first && IsRamGranuleForModel(last) ? ReadRamForModel(last, 8) : 0;
        switch (size)
        {
            case 1: *p = (byte)value; break;
            case 2: *(ushort*)p = (ushort)value; break;
            case 4: *(uint*)p = (uint)value; break;
            default: *(ulong*)p = value; break;
        }
        RecordForModel(first, beforeFirst);
        if (last != first)
        {
            RecordForModel(last, beforeLast);
        }
        AfterRamStore(pa, off, size, value);
    }

    private void RecordForModel(ulong granule, ulong before)
    {
        if (IsRamGranuleForModel(granule))
        {
            storeBuffer!.Committed(granule, before, ReadRamForModel(granule, 8));
        }
    }
}
