using Emulator.Peripherals.CPU;

namespace Emulator.MemoryModels;

/// <summary>
/// One hart's store buffer under RVWMO (docs/exploration.md). Stores to RAM wait here, in program order,
/// and reach memory later, one at a time, in an order chosen by the seeded generator among those RVWMO
/// allows: a store may pass an older store to other bytes (store-store reordering), never one that
/// overlaps it (per-address order) and never a FENCE that orders W before W (kept as a barrier entry).
/// Loads by the same hart see the buffer first (store-to-load forwarding), so a load may pass older
/// stores to other addresses (store-load reordering). Memory is multi-copy atomic: a committed store is
/// visible to every other hart at once. Loads are performed in program order, which is always allowed,
/// so address, data and control dependencies and FENCE R,* hold by construction; what this model cannot
/// show is load-load and load-store reordering.
/// </summary>
internal sealed class StoreBuffer
{
    public const int Capacity = 8;

    private readonly RiscV64 owner;
    private readonly WeakMemory memory;
    private readonly ulong[] address = new ulong[Capacity + 1];
    private readonly ulong[] value = new ulong[Capacity + 1];
    // Byte count of a store; 0 marks a W,W barrier (a FENCE whose predecessor and successor sets both hold W).
    private readonly int[] size = new int[Capacity + 1];
    private int count;

    public StoreBuffer(RiscV64 owner, WeakMemory memory)
    {
        this.owner = owner;
        this.memory = memory;
    }

    public int Count => count;

    /// <summary>The value of a RAM load: memory overlaid, byte by byte, with this hart's buffered stores (newest wins).</summary>
    public ulong Load(ulong pa, int bytes)
    {
        var result = owner.ReadRamForModel(pa, bytes);
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
    /// FENCE pred,succ (raw encoding): W before R needs the buffer empty; W
    /// before W, and FENCE.TSO, put a barrier no later store may pass. Loads are never reordered here, so
    /// fences whose predecessor set holds only R need nothing.
    /// </summary>
    public void Fence(uint raw)
    {
        var pred = (raw >> 24) & 0xF;
        var succ = (raw >> 20) & 0xF;
        var fm = raw >> 28;
        const uint r = 2, w = 1;
        if (fm == 8 && pred == (r | w) && succ == (r | w))
        {
            AddBarrier();
            return;
        }
        // Device accesses drain the buffer themselves, so only the W bit of the predecessor set matters.
        if ((pred & w) == 0)
        {
            return;
        }
        if ((succ & r) != 0)
        {
            DrainAll();
        }
        else if ((succ & w) != 0)
        {
            AddBarrier();
        }
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

    /// <summary>Forgets the buffer without committing it (machine reset).</summary>
    public void Clear() => count = 0;

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
