namespace Emulator.Peripherals.CPU;

/// <summary>
/// A MESI-like model of the harts' data caches over main RAM, in 64-byte lines, that counts the cache-line
/// transfers real SMP hardware would pay (docs/counters.md). It keeps no data, only who holds each line:
/// the harts sharing a copy, the hart that holds it modified (if any), and which bytes were written and read
/// since the line last changed writer, to tell false sharing from true sharing.
///
/// A transfer is counted on the hart whose access causes it:
/// a load of a line another hart holds modified, or a store or atomic (AMO, LR, successful SC) to a line
/// another hart holds at all (read-for-ownership or upgrade). First touches (memory fills), loads of clean
/// shared lines and accesses to lines this hart already owns cost nothing. LR takes the line for writing,
/// as cores that implement LR/SC with a reserved exclusive line do.
///
/// A transfer is false sharing when the access touches none of the bytes the other harts used since the
/// line last changed writer: the bytes the previous writer wrote (or, for a store to a line others only
/// read, the bytes they read). The harts run one at a time on one host thread, so the model needs no locks.
/// </summary>
internal sealed class CoherenceModel
{
    public const int LineShift = 6;
    public const int MaxHarts = 64;

    private const int LinesPerPageShift = HartSharedState.PageShift - LineShift;

    private struct Line
    {
        public ulong Sharers;   // harts holding a copy (bit = hart index)
        public ulong Written;   // bytes written since Writer took the line for writing
        public ulong Read;      // bytes read by harts other than Writer since then
        public int Owner;       // hart holding the line modified (only copy), or -1
        public int Writer;      // hart that last took the line for writing, or -1
    }

    // Lines are allocated a page at a time on first touch, so a large, mostly idle RAM costs little.
    private readonly Line[]?[] pages;
    private readonly ulong ramBase;
    private readonly ulong ramSize;

    public CoherenceModel(ulong ramBase, ulong ramSize)
    {
        this.ramBase = ramBase;
        this.ramSize = ramSize;
        pages = new Line[]?[(int)((ramSize + (1UL << HartSharedState.PageShift) - 1) >> HartSharedState.PageShift)];
    }

    /// <summary>
    /// Records an access of <paramref name="size"/> bytes at physical address <paramref name="pa"/> by hart
    /// <paramref name="hartIndex"/> and adds the transfers it causes to <paramref name="statistics"/>.
    /// Addresses outside main RAM (devices) are not cached and cost nothing here.
    /// </summary>
    public void Access(int hartIndex, HartStatistics statistics, ulong pa, int size, CoherenceAccess kind)
    {
        var off = pa - ramBase;
        if (off >= ramSize || size <= 0)
        {
            return;
        }
        var last = Math.Min(off + (ulong)size - 1, ramSize - 1);
        for (var line = off >> LineShift; line <= last >> LineShift; line++)
        {
            var lineStart = line << LineShift;
            var from = (int)(Math.Max(off, lineStart) - lineStart);
            var to = (int)(Math.Min(last, lineStart + 63) - lineStart);
            var bytes = (to - from == 63 ? ulong.MaxValue : ((1UL << (to - from + 1)) - 1)) << from;
            AccessLine(ref LineAt(line), hartIndex, statistics, bytes, kind);
        }
    }

    private ref Line LineAt(ulong line)
    {
        var page = (int)(line >> LinesPerPageShift);
        var lines = pages[page];
        if (lines == null)
        {
            lines = new Line[1 << LinesPerPageShift];
            for (var i = 0; i < lines.Length; i++)
            {
                lines[i].Owner = -1;
                lines[i].Writer = -1;
            }
            pages[page] = lines;
        }
        return ref lines[(int)(line & ((1UL << LinesPerPageShift) - 1))];
    }

    private static void AccessLine(ref Line l, int hart, HartStatistics statistics, ulong bytes, CoherenceAccess kind)
    {
        var me = 1UL << hart;
        if (kind == CoherenceAccess.Load)
        {
            if (l.Owner >= 0 && l.Owner != hart)
            {
                // The owner supplies the data and keeps a shared copy.
                statistics.LineTransfersByLoads++;
                if ((bytes & l.Written) == 0)
                {
                    statistics.FalseSharingTransfers++;
                }
                l.Owner = -1;
            }
            l.Sharers |= me;
            if (l.Writer != hart)
            {
                l.Read |= bytes;
            }
            return;
        }
        var others = l.Sharers & ~me;
        if (others != 0)
        {
            if (kind == CoherenceAccess.Store)
            {
                statistics.LineTransfersByStores++;
            }
            else
            {
                statistics.LineTransfersByAtomics++;
            }
            // What the other holders used: the previous writer's bytes, and what readers other than this hart read.
            var used = (l.Writer != hart ? l.Written : 0) | l.Read;
            if (used != 0 && (bytes & used) == 0)
            {
                statistics.FalseSharingTransfers++;
            }
        }
        if (l.Writer != hart || others != 0)
        {
            l.Writer = hart;
            l.Written = bytes;
            l.Read = 0;
        }
        else
        {
            l.Written |= bytes;
        }
        l.Sharers = me;
        l.Owner = hart;
    }
}
