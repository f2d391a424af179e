namespace Emulator.Peripherals.CPU.Translation;

/// <summary>A run of guest instructions of one physical RAM page, compiled to host code.</summary>
internal sealed class TranslatedBlock
{
    public TranslatedBlock(BlockCode code, int startOffset, int endOffset, int length)
    {
        Code = code;
        StartOffset = startOffset;
        EndOffset = endOffset;
        Length = length;
    }

    public BlockCode Code { get; }

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
