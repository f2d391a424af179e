namespace Emulator.MemoryModels;

/// <summary>
/// The recent past of memory under RVWMO (docs/exploration.md), what lets a load read an older value: for
/// recently written aligned doublewords ("granules"), the last few values each held, with the global
/// timestamp of the store that wrote it and, per value, the harts that have read or written it. Timestamps
/// come from one counter that every store reaching memory advances, so they are a total order of memory
/// (RVWMO is multi-copy atomic). A load may read value i of its granule when (coherence) no newer value of
/// the granule has been seen by its hart, and (the load's view) the value was still the latest at the
/// load's view floor: the next value's timestamp is above the floor. This is the read rule of the
/// Promising-RISC-V model (Pulte et al., PLDI 2019) with one location per granule, which only ever orders
/// more than per-byte coherence does. Granules without a history are read as they are now: the latest value
/// is always allowed. The table is bounded: forgetting old values only takes choices away.
/// </summary>
internal sealed class MemoryHistory
{
    private const int SlotBits = 12;
    private const int Slots = 1 << SlotBits;
    private const int Depth = 4;

    // tag = granule address + 1 (0 = empty slot); entries oldest first, the newest is what memory holds.
    private readonly ulong[] tag = new ulong[Slots];
    private readonly int[] count = new int[Slots];
    private readonly ulong[] stamp = new ulong[Slots * Depth];
    private readonly ulong[] value = new ulong[Slots * Depth];
    private readonly ulong[] seen = new ulong[Slots * Depth];

    /// <summary>The timestamp of the newest store to reach memory: every view is at most this.</summary>
    public ulong Now { get; private set; }

    private static int SlotOf(ulong granule) => (int)(((granule >> 3) * 0x9E3779B97F4A7C15UL) >> (64 - SlotBits));

    /// <summary>
    /// A store reached memory and changed granule <paramref name="granule"/> from <paramref name="before"/> to
    /// <paramref name="after"/>. Returns the store's timestamp.
    /// </summary>
    public ulong Record(ulong granule, ulong before, ulong after, ulong hartBit)
    {
        var s = SlotOf(granule);
        var b = s * Depth;
        // A new history (or one that missed a write made outside the model, by a device or the debugger) starts
        // from what memory holds, stamped now: its true timestamp is at most that, and a later stamp only orders more.
        if (tag[s] != granule + 1 || value[b + count[s] - 1] != before)
        {
            tag[s] = granule + 1;
            count[s] = 1;
            stamp[b] = Now;
            value[b] = before;
            seen[b] = 0;
        }
        if (count[s] == Depth)
        {
            Array.Copy(stamp, b + 1, stamp, b, Depth - 1);
            Array.Copy(value, b + 1, value, b, Depth - 1);
            Array.Copy(seen, b + 1, seen, b, Depth - 1);
            count[s]--;
        }
        Now++;
        var i = b + count[s];
        stamp[i] = Now;
        value[i] = after;
        seen[i] = hartBit;
        count[s]++;
        return Now;
    }

    /// <summary>
    /// Chooses the value of <paramref name="granule"/> a load reads: one allowed by the hart's coherence and by
    /// <paramref name="floor"/> (its view before the load), at random. False when the granule has no history
    /// (read memory, whose value is the latest). <paramref name="written"/> is the timestamp of the value read.
    /// </summary>
    public bool TryRead(ulong granule, ulong current, ulong hartBit, ulong floor, Random random, out ulong granuleValue, out ulong written)
    {
        var s = SlotOf(granule);
        var b = s * Depth;
        var n = count[s];
        if (tag[s] != granule + 1 || value[b + n - 1] != current)
        {
            if (tag[s] == granule + 1)
            {
                // Memory changed behind the model's back: the history no longer leads to what memory holds.
                tag[s] = 0;
            }
            granuleValue = current;
            written = Now;
            return false;
        }
        // Coherence: never older than the newest value this hart has read or written.
        var low = n - 1;
        while (low > 0 && (seen[b + low] & hartBit) == 0)
        {
            low--;
        }
        // The view: value i was overwritten at stamp[i + 1], which must lie above the floor.
        while (low < n - 1 && stamp[b + low + 1] <= floor)
        {
            low++;
        }
        var pick = low + random.Next(n - low);
        seen[b + pick] |= hartBit;
        granuleValue = value[b + pick];
        written = stamp[b + pick];
        return true;
    }

    /// <summary>The hart read (or acted on) the latest value of the granule: its coherence moves there.</summary>
    public void MarkLatestSeen(ulong granule, ulong current, ulong hartBit)
    {
        var s = SlotOf(granule);
        var n = count[s];
        if (tag[s] == granule + 1 && value[s * Depth + n - 1] == current)
        {
            seen[s * Depth + n - 1] |= hartBit;
        }
    }

    public void Clear()
    {
        Array.Clear(tag);
        Array.Clear(count);
    }
}
