using Emulator.Peripherals.CPU.Translation;

namespace Emulator.Peripherals.CPU;

/// <summary>
/// The dispatcher between the interpreter and translated blocks (see docs/translator.md). The interpreter asks
/// for a block at block heads only (after a jump, a branch, a trap or an instruction a block does not contain),
/// so sequential code pays nothing for the look-up.
/// </summary>
public sealed partial class RiscV64
{
    /// <summary>
    /// Default heat (arrivals at a head) before it is translated; EMU_TRANSLATION_THRESHOLD overrides it. Compiling
    /// a block (Reflection.Emit and the JIT) costs about a millisecond, so lukewarm code is better interpreted: on
    /// the guest kernel's `test all` a threshold of 50 spent 0.7 s compiling; Linux's boot to /init took a third less
    /// CPU time with 10000 than with 1000 and its user-space loop was not slower (docs/translator.md).
    /// </summary>
    internal static readonly int DefaultTranslationThreshold =
        int.TryParse(Environment.GetEnvironmentVariable("EMU_TRANSLATION_THRESHOLD"), out var t) && t >= 1 ? Math.Min(t, 60000) : 10000;

    private bool translationEnabled = true;

    // The head the interpreter last counted an arrival at (its RAM page, -1 for none, and slot) and the executed
    // count then: the next counted head credits that head with the length of the run in between (CreditRun). An
    // index, not the page's PageTranslations: storing a reference would cost a GC write barrier at every head.
    private int runHeadPage = -1;
    private int runHeadSlot;
    private ulong runHeadStart;

    /// <summary>Instructions of one run from a head that weigh as much as one more arrival there.</summary>
    internal const int RunHeatUnit = 16;

    // Whether blocks may run now: enabled here and on the machine, and nothing the blocks do not model is active
    // (paging for fetch or data, watchpoints, breakpoints). Recomputed whenever one of those changes.
    private bool translationOn;

    /// <summary>
    /// Runs hot RAM code as translated host code (default). Off: every instruction is interpreted.
    /// <see cref="Emulator.Machine.TranslationEnabled"/> turns it off for all harts.
    /// </summary>
    public bool TranslationEnabled
    {
        get => translationEnabled;
        set
        {
            translationEnabled = value;
            RefreshTranslationOn();
        }
    }

    /// <summary>Arrivals at a block head before it is translated.</summary>
    internal int TranslationThreshold { get; set; } = DefaultTranslationThreshold;

    /// <summary>Instruction slots executed, trapping ones included (what drives virtual time and mcycle).</summary>
    internal ulong ExecutedSlots => executedTotal;

    /// <summary>The translated blocks this hart shares with the others (tests), once it has run.</summary>
    internal TranslationCache? SharedTranslations => shared?.Translations;

    /// <summary>Number of translated block entries by this hart (tests).</summary>
    internal ulong BlocksEntered { get; private set; }

    /// <summary>Block entries that followed a successor link instead of the page look-up (tests).</summary>
    internal ulong BlocksEnteredByLink { get; private set; }

    /// <summary>Block entries with Sv39 translation on (tests).</summary>
    internal ulong BlocksEnteredPaged { get; private set; }

    private void RefreshTranslationOn()
    {
        // Blocks run with paging off, or with Sv39 on for both fetch and data (S/U-mode); M-mode with MPRV (data
        // translated, fetch not) is left to the interpreter, and so is the RVWMO store buffer (its RAM accesses
        // go through the buffer, which blocks do not model).
        translationOn = translationEnabled && machine is { TranslationEnabled: true } && shared != null && ramUsable
            && fetchTranslate == dataTranslate && watchpoints.Count == 0 && breakpoints.Count == 0 && storeBuffer == null && coherence == null;
    }

    /// <summary>
    /// The common case of a block head, without RunBlocks: pc's page is in the fetch TLB (or paging is off), it has
    /// no block at pc and the head is not hot yet. Counts the arrival exactly as RunBlocks/TranslateHot would
    /// (same TLB entry, same heat counter) and returns true; the interpreter goes on with the instruction at pc.
    /// False: RunBlocks decides (a TLB miss walks there, a block may run, a hot head is translated).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool CountColdHead(TranslationCache cache)
    {
        if (!FindColdHead(cache, pc, out var page, out var pageIndex, out var head, out var hits))
        {
            return false;
        }
        CreditRun();
        hits = page.Hits[head];
        if (hits + 1 >= TranslationThreshold)
        {
            return false;
        }
        page.Hits[head] = (ushort)(hits + 1);
        StartRun(pageIndex, head, executedTotal);
        return true;
    }

    /// <summary>
    /// The look-up of <see cref="CountColdHead"/>, without calls or changes: the heat counter of the head at
    /// <paramref name="headPc"/> when pc's page is in the fetch TLB (or paging is off), no block starts there, no
    /// finished compilation waits to be installed and one more arrival leaves it below the threshold.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool FindColdHead(TranslationCache cache, ulong headPc, out PageTranslations page, out int pageIndex, out int head, out ushort hits)
    {
        page = null!;
        pageIndex = 0;
        head = 0;
        hits = 0;
        var physical = headPc;
        if (fetchTranslate && !TlbHit(headPc, AccessFetch, out physical))
        {
            return false;
        }
        var off = physical - ramBase;
        // Finished compilations are installed by RunBlocks at its next call.
        if (off >= ramSize || cache.HasCompleted)
        {
            return false;
        }
        pageIndex = (int)(off >> HartSharedState.PageShift);
        var found = cache.Pages[pageIndex];
        if (found == null)
        {
            return false;
        }
        page = found;
        head = (int)(off & 0xFFF) >> 1;
        hits = page.Hits[head];
        // Untranslatable and Pending are above any threshold, so they go to RunBlocks too.
        return page.Blocks[head] == null && hits + 1 < TranslationThreshold;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void StartRun(int pageIndex, int slot, ulong executed)
    {
        runHeadPage = pageIndex;
        runHeadSlot = slot;
        runHeadStart = executed;
    }

    /// <summary>Whether the run since the head counted last is long enough that CreditRun adds to its heat.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool HasLongRun(ulong executed) => runHeadPage >= 0 && executed - runHeadStart >= RunHeatUnit;

    /// <summary>
    /// Credits the head counted last with the run interpreted since then: one more arrival per
    /// <see cref="RunHeatUnit"/> instructions. A head whose arrivals each run long straight-line code (an unrolled
    /// hash, a copy) then heats up as fast as the instructions it costs, not only as often as it is reached.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void CreditRun()
    {
        if (HasLongRun(executedTotal))
        {
            CreditLongRun(runHeadPage, executedTotal - runHeadStart);
        }
        runHeadPage = -1;
    }

    private void CreditLongRun(int pageIndex, ulong run)
    {
        var page = shared!.Translations.Pages[pageIndex];
        // Dropped, translated, pending or untranslatable since: nothing to credit.
        if (page == null)
        {
            return;
        }
        var hits = page.Hits[runHeadSlot];
        if (hits >= TranslationThreshold || page.Blocks[runHeadSlot] != null)
        {
            return;
        }
        page.Hits[runHeadSlot] = (ushort)Math.Min(TranslationThreshold - 1, hits + (long)(run / RunHeatUnit));
    }

    /// <summary>
    /// Runs translated blocks from pc, chaining from block to block, while the budget lasts and nothing needs
    /// the interpreter's attention. Returns true when the loop should go back to its top (pc is a block head);
    /// false when the interpreter must execute the instruction at pc, with <paramref name="lookupAfter"/>
    /// telling whether the instruction after it is a block head again.
    /// </summary>
    private bool RunBlocks(ref ulong reg, ulong limit, out bool lookupAfter)
    {
        var cache = shared!.Translations;
        if (cache.HasCompleted)
        {
            InstallCompiledBlocks(cache);
        }
        TranslatedBlock? previous = null;
        while (true)
        {
            if (!translationOn)
            {
                // A block's call-out or trap changed the hart's state (MPRV, a watchpoint): the interpreter goes on.
                lookupAfter = true;
                return true;
            }
            var paged = fetchTranslate;
            // Chaining: a block's exits (taken and not-taken successor, a return site) are remembered on it, so a
            // loop spread over several blocks goes from block to block without the page look-up. The links are
            // only followed while no block anywhere has been dropped since they were made, and only with paging
            // off: under Sv39 every entry translates pc, since the mapping is the hart's own.
            TranslatedBlock? block = null;
            if (!paged && previous != null && previous.LinkGeneration == cache.Generation)
            {
                if (previous.LinkPc0 == pc)
                {
                    block = previous.Link0;
                }
                else if (previous.LinkPc1 == pc)
                {
                    block = previous.Link1;
                }
                if (block != null)
                {
                    BlocksEnteredByLink++;
                }
            }
            if (block == null)
            {
                var physical = pc;
                if (paged && Translate(pc, AccessFetch, out physical) != NoFault)
                {
                    // The interpreter's fetch raises the fault, with the same walk.
                    lookupAfter = false;
                    return false;
                }
                var off = physical - ramBase;
                if (off >= ramSize)
                {
                    lookupAfter = false;
                    return false;
                }
                var pageIndex = (int)(off >> HartSharedState.PageShift);
                var page = cache.Pages[pageIndex] ?? cache.GetOrCreate(pageIndex);
                var slot = (int)(off & 0xFFF) >> 1;
                block = page.Blocks[slot];
                var virtualPage = pc & ~0xFFFUL;
                if (block != null && (block.VirtualPage != virtualPage || block.PagedData != dataTranslate))
                {
                    // Made for another virtual address of this physical page, or for the other data mode: its pc
                    // constants or its loads and stores do not fit. The head is hot, so it is translated again.
                    block = Retranslate(page, pageIndex, slot, virtualPage);
                }
                else if (block == null)
                {
                    block = TranslateHot(page, pageIndex, slot, virtualPage);
                }
                if (block == null)
                {
                    // Not hot yet, or its first instruction is one only the interpreter executes.
                    lookupAfter = page.Hits[slot] == PageTranslations.Untranslatable;
                    return false;
                }
                if (previous != null && !paged)
                {
                    Link(previous, block, cache.Generation);
                }
            }
            var remaining = limit - executedTotal;
            if (remaining < (ulong)block.Length)
            {
                // Near the end of the budget: single steps stop at exactly the requested count.
                lookupAfter = false;
                return false;
            }
            BlocksEntered++;
            runHeadPage = -1;
            if (paged)
            {
                BlocksEnteredPaged++;
            }
            if (block.Code(this, ref reg, remaining) != 0)
            {
                lookupAfter = true;
                return false;
            }
            if (attention || executedTotal >= limit)
            {
                lookupAfter = true;
                return true;
            }
            previous = block;
        }
    }

    /// <summary>Remembers <paramref name="next"/> as a successor of <paramref name="from"/>, replacing the older of two.</summary>
    private void Link(TranslatedBlock from, TranslatedBlock next, int generation)
    {
        if (from.LinkGeneration != generation)
        {
            from.LinkGeneration = generation;
            from.LinkPc1 = ulong.MaxValue;
            from.Link1 = null;
        }
        else
        {
            from.LinkPc1 = from.LinkPc0;
            from.Link1 = from.Link0;
        }
        from.LinkPc0 = pc;
        from.Link0 = next;
    }

    /// <summary>
    /// Executes one instruction that a block leaves to the interpreter's own code (LR/SC, AMO, FENCE, CSR), so
    /// their semantics stay exactly the interpreter's. The block has stored its registers, committed the counts
    /// of the instructions before this one and set pc to it. Returns 0 to go on in the block, 1 to leave it after
    /// this instruction (an interrupt may be pending, translation state or code changed), 2 when it trapped (the
    /// slot is counted here, pc is the trap vector and the block returns at once).
    /// </summary>
    internal int ExecuteForBlock(ref ulong reg, int op, int rd, int rs1, int rs2, long imm, uint raw)
    {
        var d = new DecodedInstruction { Op = (Opcode)op, Rd = (byte)rd, Rs1 = (byte)rs1, Rs2 = (byte)rs2, Imm = imm, Raw = raw, Length = 4 };
        var cache = shared!.Translations;
        var generation = cache.Generation;
        var epoch = mmuEpoch;
        bool ok;
        switch (d.Op)
        {
            case Opcode.LrW:
            case Opcode.LrD:
                ok = LoadReserved(ref d, ref reg);
                break;
            case Opcode.ScW:
            case Opcode.ScD:
                ok = StoreConditional(ref d, ref reg);
                break;
            case Opcode.Fence:
            case Opcode.FenceI:
                CountFence(raw, pc);
                ok = true;
                break;
            case >= Opcode.Csrrw and <= Opcode.Csrrci:
                ok = ExecuteCsr(ref d, ref reg);
                if (!ok)
                {
                    RaiseException(TrapCause.IllegalInstruction, raw);
                }
                break;
            default:
                ok = AtomicMemoryOperation(ref d, ref reg);
                break;
        }
        reg = 0;
        if (!ok)
        {
            executedTotal++;
            return 2;
        }
        return attention || !translationOn || generation != cache.Generation || epoch != mmuEpoch ? 1 : 0;
    }

    /// <summary>
    /// A load or store the block's RAM fast path does not take (MMIO, misaligned, outside RAM), by the
    /// interpreter's LoadSlow/StoreSlow, under the call-out protocol of <see cref="ExecuteForBlock"/>: a load's
    /// rd is written to x[]; the result is 0 (go on), 1 (leave after it) or 2 (trapped, slot counted).
    /// </summary>
    internal int AccessForBlock(ref ulong reg, int op, int rd, ulong address, ulong value)
    {
        var cache = shared!.Translations;
        var generation = cache.Generation;
        var epoch = mmuEpoch;
        var o = (Opcode)op;
        if (o >= Opcode.Sb)
        {
            if (!StoreSlow(address, 1 << (o - Opcode.Sb), value))
            {
                executedTotal++;
                return 2;
            }
        }
        else
        {
            if (!LoadSlow(address, LoadSize(o), out var v))
            {
                executedTotal++;
                return 2;
            }
            if (rd != 0)
            {
                System.Runtime.CompilerServices.Unsafe.Add(ref reg, rd) = o switch
                {
                    Opcode.Lb => (ulong)(sbyte)v,
                    Opcode.Lh => (ulong)(short)v,
                    Opcode.Lw => (ulong)(int)v,
                    _ => v,
                };
            }
        }
        return attention || !translationOn || generation != cache.Generation || epoch != mmuEpoch ? 1 : 0;
    }

    /// <summary>
    /// A block's RAM store that needs the interpreter's AfterRamStore (its page holds code or the watched tohost,
    /// or reservations exist). True when the block must leave after the store: a block was dropped (maybe this
    /// one) or attention was raised (HTIF exit).
    /// </summary>
    internal bool AfterRamStoreForBlock(ulong pa, ulong off, int size, ulong value)
    {
        var cache = shared!.Translations;
        var generation = cache.Generation;
        AfterRamStore(pa, off, size, value);
        return attention || generation != cache.Generation;
    }

    /// <summary>
    /// Installs the blocks the background compiler finished, each only if RAM still holds the bytes it was decoded
    /// from (a store or host write since then made it stale: the head heats up again instead) and its slot is free.
    /// </summary>
    private unsafe void InstallCompiledBlocks(TranslationCache cache)
    {
        var s = shared!;
        while (cache.TryTakeCompleted(out var job))
        {
            var page = cache.Pages[job.PageIndex] ?? cache.GetOrCreate(job.PageIndex);
            var slot = job.StartOffset >> 1;
            var current = new ReadOnlySpan<byte>(s.Ram + ((ulong)job.PageIndex << HartSharedState.PageShift) + (ulong)job.StartOffset,
                job.EndOffset - job.StartOffset);
            var block = job.Block;
            if (block == null)
            {
                page.Hits[slot] = PageTranslations.Untranslatable;
                continue;
            }
            if (!current.SequenceEqual(job.Bytes) || page.Blocks[slot] != null)
            {
                if (page.Hits[slot] == PageTranslations.Pending)
                {
                    page.Hits[slot] = 0;
                }
                continue;
            }
            // The page must count as code so that stores to it reach AfterRamStore and drop its blocks.
            s.GetOrCreatePage(job.PageIndex);
            page.Hits[slot] = 0;
            page.Blocks[slot] = block;
            page.Live.Add(block);
            cache.BlocksTranslated++;
        }
    }

    private TranslatedBlock? Retranslate(PageTranslations page, int pageIndex, int slot, ulong virtualPage)
    {
        var old = page.Blocks[slot];
        if (old != null)
        {
            page.Blocks[slot] = null;
            page.Live.Remove(old);
        }
        page.Hits[slot] = (ushort)Math.Max(0, TranslationThreshold - 1);
        return TranslateHot(page, pageIndex, slot, virtualPage);
    }

    private unsafe TranslatedBlock? TranslateHot(PageTranslations page, int pageIndex, int slot, ulong virtualPage)
    {
        var hits = page.Hits[slot];
        if (hits == PageTranslations.Untranslatable)
        {
            return null;
        }
        CreditRun();
        hits = page.Hits[slot];
        if (hits + 1 < TranslationThreshold)
        {
            page.Hits[slot] = (ushort)(hits + 1);
            StartRun(pageIndex, slot, executedTotal);
            return null;
        }
        var s = shared!;
        if (hits == PageTranslations.Pending)
        {
            return null;
        }
        if (machine is { BackgroundTranslation: true })
        {
            var insns = BlockTranslator.Decode(s, pageIndex, slot << 1, out var endOffset);
            if (insns == null)
            {
                page.Hits[slot] = PageTranslations.Untranslatable;
                return null;
            }
            var jobs = new List<CompileJob> { NewCompileJob(page, pageIndex, slot, endOffset, virtualPage, insns) };
            // Straight-line code the block cap cut: the rest of it runs whenever this head does, so it is queued now
            // rather than each part heating up on its own, one compilation after the other.
            while (insns.Count == BlockTranslator.MaxInstructions && IsColdContinuation(page, endOffset))
            {
                var next = endOffset >> 1;
                insns = BlockTranslator.Decode(s, pageIndex, endOffset, out endOffset);
                if (insns == null)
                {
                    break;
                }
                jobs.Add(NewCompileJob(page, pageIndex, next, endOffset, virtualPage, insns));
            }
            // The compiler takes the newest job first: the head is queued last so that it is compiled first.
            for (var i = jobs.Count - 1; i >= 0; i--)
            {
                BlockCompiler.Enqueue(jobs[i]);
            }
            return null;
        }
        // The page must count as code so that stores to it reach AfterRamStore and drop its blocks.
        s.GetOrCreatePage(pageIndex);
        var block = BlockTranslator.Translate(s, pageIndex, slot << 1, virtualPage, dataTranslate);
        if (block == null)
        {
            page.Hits[slot] = PageTranslations.Untranslatable;
            return null;
        }
        page.Hits[slot] = 0;
        page.Blocks[slot] = block;
        page.Live.Add(block);
        s.Translations.BlocksTranslated++;
        if (block.Length == BlockTranslator.MaxInstructions && IsColdContinuation(page, block.EndOffset))
        {
            // As above: the continuation is translated the next time it is reached.
            page.Hits[block.EndOffset >> 1] = (ushort)Math.Max(0, TranslationThreshold - 1);
        }
        return block;
    }

    /// <summary>Whether the instruction at this page offset starts no block yet and is not being compiled or untranslatable.</summary>
    private bool IsColdContinuation(PageTranslations page, int offset) =>
        offset < 0x1000 && page.Blocks[offset >> 1] == null && page.Hits[offset >> 1] < TranslationThreshold;

    private unsafe CompileJob NewCompileJob(PageTranslations page, int pageIndex, int slot, int endOffset, ulong virtualPage,
        List<(DecodedInstruction D, int Offset)> insns)
    {
        var s = shared!;
        var start = slot << 1;
        var bytes = new ReadOnlySpan<byte>(s.Ram + ((ulong)pageIndex << HartSharedState.PageShift) + (ulong)start, endOffset - start).ToArray();
        page.Hits[slot] = PageTranslations.Pending;
        return new CompileJob(s, pageIndex, start, endOffset, virtualPage, dataTranslate, insns, bytes);
    }
}
