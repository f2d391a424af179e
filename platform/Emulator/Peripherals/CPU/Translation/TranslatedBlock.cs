namespace Emulator.Peripherals.CPU.Translation;

/// <summary>A run of guest instructions of one physical RAM page, compiled to host code.</summary>
internal sealed class TranslatedBlock
{
    public TranslatedBlock(BlockCode code, int startOffset, int endOffset, int length, ulong virtualPage, bool pagedData)
    {
        Code = code;
        VirtualPage = virtualPage;
        PagedData = pagedData;
        StartOffset = startOffset;
        EndOffset = endOffset;
        Length = length;
    }

    public BlockCode Code { get; }

    /// <summary>
    /// The virtual address of the page it was translated for (the physical one with paging off): its pc
    /// constants (AUIPC, link values, exits) are virtual, so it runs only where pc's page translates to its page.
    /// </summary>
    public ulong VirtualPage { get; }

    /// <summary>True when its loads and stores go through the hart's Sv39 TLB (made while data translation was on).</summary>
    public bool PagedData { get; }

    /// <summary>Page offset of the first instruction.</summary>
    public int StartOffset { get; }

    /// <summary>Page offset just past the last instruction: the block depends on the bytes [StartOffset, EndOffset).</summary>
    public int EndOffset { get; }

    /// <summary>Number of instructions; the most one pass through the block executes before a back edge re-checks the budget.</summary>
    public int Length { get; }

    // Successor links (see RiscV64.RunBlocks): the last two blocks entered right after this one, by their pc, valid
    // while TranslationCache.Generation equals LinkGeneration (no block anywhere was dropped since). Fields, not
    // properties: the dispatcher reads them on every block exit.
    internal ulong LinkPc0 = ulong.MaxValue;
    internal ulong LinkPc1 = ulong.MaxValue;
    internal TranslatedBlock? Link0;
    internal TranslatedBlock? Link1;
    internal int LinkGeneration = -1;
}
