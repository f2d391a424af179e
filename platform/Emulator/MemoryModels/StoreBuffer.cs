using Emulator.Peripherals.CPU;

namespace Emulator.MemoryModels;

/// <summary>
/// One hart's store buffer under RVWMO (docs/exploration.md). Stores to RAM wait here, in program order,
/// and reach memory later, one at a time, in an order chosen by the seeded generator among those RVWMO
/// allows: a store may pass an older store to other bytes (store-store reordering), never one that
/// overlaps it (per-address order) and never a FENCE that orders W before W (kept as a barrier entry).
/// Loads by the same hart see the buffer first (store-to-load forwarding), so a load may pass older
/// stores to other addresses (store-load reordering). Memory is multi-copy atomic: a committed store is
/// visible to every other hart at once, and is recorded in <see cref="MemoryHistory"/> with its timestamp.
/// A load that no buffered store of its hart overlaps reads a value of that history its views allow
/// (<see cref="HartViews"/>), which may be older than memory's (load-load reordering). Stores reach memory
/// after their hart executed them, so no store is ever seen before an earlier load of its hart: what this
/// model cannot show is load-store reordering (LB).
/// </summary>
internal sealed class StoreBuffer
{
    public const int Capacity = 8;

    private readonly RiscV64 owner;
    private readonly WeakMemory memory;
    private readonly MemoryHistory history;
    private readonly ulong[] address = new ulong[Capacity + 1];
    private readonly ulong[] value = new ulong[Capacity + 1];
    // Byte count of a store; 0 marks a W,W barrier (a FENCE whose predecessor and successor sets both hold W).
    private readonly int[] size = new int[Capacity + 1];
    private int count;

    public StoreBuffer(RiscV64 owner, WeakMemory memory, int index)
    {
        this.owner = owner;
        this.memory = memory;
        history = memory.History;
        Views = new HartViews(index);
    }

    public int Count => count;

    public HartViews Views { get; }

    public ulong Now => history.Now;

    /// <summary>
    /// The value of a RAM load whose address has view <paramref name="addressView"/>. Bytes this hart's buffered
    /// stores hold are forwarded (newest wins) over memory's latest value; otherwise the load reads a value of
    /// the history its views allow. Sets the load's view in <see cref="Views"/>.
    /// </summary>
    public ulong Load(ulong pa, int bytes, ulong addressView)
    {
        var views = Views;
        var granule = pa & ~7UL;
        var forwarded = false;
        for (var i = 0; i < count && !forwarded; i++)
        {
            forwarded = size[i] != 0 && Overlaps(address[i], size[i], pa, bytes);
        }
        ulong result;
        ulong view;
        if (!forwarded && ((pa + (ulong)bytes - 1) & ~7UL) == granule && views.Bit != 0 && owner.IsRamGranuleForModel(granule))
        {
            var floor = Math.Max(views.ReadFloor, addressView);
            history.TryRead(granule, owner.ReadRamForModel(granule, 8), views.Bit, floor, memory.Random, out var granuleValue, out var written);
            result = granuleValue >> (int)(8 * (pa - granule));
            view = Math.Max(floor, written);
        }
        else
        {
            // Forwarded, straddling two granules, or past 64 harts: the latest value, and coherence moves there.
            result = owner.ReadRamForModel(pa, bytes);
            MarkLatestSeen(pa, bytes);
            view = history.Now;
        }
        views.LoadView = view;
        for (var i = 0; i < count; i++)
        {
            if (size[i] != 0 && Overlaps(address[i], size[i], pa, bytes))
            {
                for (var b = 0; b < bytes; b++)
                {
                    var at = pa + (ulong)b;
                    if (at >= address[i] && at < address[i] + (ulong)size[i])
                    {
                        var byteValue = (value[i] >> (int)(8 * (at - address[i]))) & 0xFF;
                        result = (result & ~(0xFFUL << (8 * b))) | (byteValue << (8 * b));
                    }
                }
            }
        }
        MaybeCommitOne();
        return bytes == 8 ? result : result & ((1UL << (8 * bytes)) - 1);
    }

    /// <summary>The hart read memory's latest value of [pa, pa + bytes) (an atomic, a forwarded load): its coherence moves there.</summary>
    public void MarkLatestSeen(ulong pa, int bytes)
    {
        var first = pa & ~7UL;
        var last = (pa + (ulong)bytes - 1) & ~7UL;
        for (var g = first; g <= last; g += 8)
        {
            if (owner.IsRamGranuleForModel(g))
            {
                history.MarkLatestSeen(g, owner.ReadRamForModel(g, 8), Views.Bit);
            }
        }
    }

    /// <summary>A store of this hart reached memory (from the buffer or as an atomic): recorded with its timestamp.</summary>
    public void Committed(ulong granule, ulong before, ulong after)
    {
        var written = history.Record(granule, before, after, Views.Bit);
        Views.WritesDone = written;
    }

    public void Store(ulong pa, int bytes, ulong data)
    {
        if (count == Capacity)
        {
            CommitOne();
        }
        address[count] = pa;
        size[count] = bytes;
        value[count] = data;
        count++;
        MaybeCommitOne();
    }

    /// <summary>
    /// FENCE pred,succ (raw encoding): W before R needs the buffer empty and later loads no older than this
    /// hart's stores; R before R puts later loads' floor at the views earlier loads read at; W before W, and
    /// FENCE.TSO, put a barrier no later store may pass. R before W needs nothing: stores reach memory after
    /// every earlier load has read. A fence naming device input or output orders later loads after everything.
    /// </summary>
    public void Fence(uint raw)
    {
        var pred = (raw >> 24) & 0xF;
        var succ = (raw >> 20) & 0xF;
        var fm = raw >> 28;
        const uint r = 2, w = 1, io = 0xC;
        var views = Views;
        if (fm == 8 && pred == (r | w) && succ == (r | w))
        {
            AddBarrier();
            views.ReadFloor = Math.Max(views.ReadFloor, views.ReadsDone);
            return;
        }
        if ((pred & r) != 0 && (succ & r) != 0)
        {
            views.ReadFloor = Math.Max(views.ReadFloor, views.ReadsDone);
        }
        if ((pred & w) != 0)
        {
            if ((succ & r) != 0)
            {
                DrainAll();
                views.ReadFloor = Math.Max(views.ReadFloor, views.WritesDone);
            }
            else if ((succ & w) != 0)
            {
                AddBarrier();
            }
        }
        if (((pred | succ) & io) != 0)
        {
            DrainAll();
            views.ReadFloor = history.Now;
        }
    }

    /// <summary>Before a device access or a page-crossing load: every buffered store in memory, every later load reads the latest.</summary>
    public void DrainAndOrderLoads()
    {
        DrainAll();
        Views.ReadFloor = history.Now;
    }

    /// <summary>Commits every buffered store (in an allowed order: program order).</summary>
    public void DrainAll()
    {
        for (var i = 0; i < count; i++)
        {
            if (size[i] != 0)
            {
                owner.CommitForModel(address[i], size[i], value[i]);
            }
        }
        count = 0;
    }

    /// <summary>Forgets the buffer without committing it, and the views (machine reset).</summary>
    public void Clear()
    {
        count = 0;
        Views.Clear();
    }

    /// <summary>After a hart's turn: commits a random number of entries, so buffers drain while their hart is descheduled.</summary>
    public void CommitSome()
    {
        var n = memory.Random.Next(count + 1);
        for (var k = 0; k < n && count > 0; k++)
        {
            CommitOne();
        }
    }

    private void AddBarrier()
    {
        if (count == 0 || size[count - 1] == 0)
        {
            return;
        }
        if (count == Capacity)
        {
            CommitOne();
            if (count == 0)
            {
                return;
            }
        }
        address[count] = 0;
        size[count] = 0;
        value[count] = 0;
        count++;
    }

    private void MaybeCommitOne()
    {
        if (count != 0 && memory.Random.Next(4) == 0)
        {
            CommitOne();
        }
    }

    /// <summary>Commits one store chosen at random among those that no older overlapping store or barrier holds back.</summary>
    private void CommitOne()
    {
        DropLeadingBarriers();
        if (count == 0)
        {
            return;
        }
        Span<int> eligible = stackalloc int[Capacity];
        var n = 0;
        for (var i = 0; i < count && size[i] != 0; i++)
        {
            var blocked = false;
            for (var j = 0; j < i && !blocked; j++)
            {
                blocked = Overlaps(address[j], size[j], address[i], size[i]);
            }
            if (!blocked)
            {
                eligible[n++] = i;
            }
        }
        var pick = eligible[memory.Random.Next(n)];
        owner.CommitForModel(address[pick], size[pick], value[pick]);
        for (var i = pick + 1; i < count; i++)
        {
            address[i - 1] = address[i];
            size[i - 1] = size[i];
            value[i - 1] = value[i];
        }
        count--;
        DropLeadingBarriers();
    }

    private void DropLeadingBarriers()
    {
        var lead = 0;
        while (lead < count && size[lead] == 0)
        {
            lead++;
        }
        if (lead == 0)
        {
            return;
        }
        for (var i = lead; i < count; i++)
        {
            address[i - lead] = address[i];
            size[i - lead] = size[i];
            value[i - lead] = value[i];
        }
        count -= lead;
    }

    private static bool Overlaps(ulong a, int aSize, ulong b, int bSize) => a < b + (ulong)bSize && b < a + (ulong)aSize;
}
