namespace Emulator.Peripherals.CPU.Translation;

/// <summary>
/// A hot block waiting for (or done with) compilation on <see cref="BlockCompiler"/>'s thread. The instructions
/// were decoded on the emulation thread; <see cref="Bytes"/> keeps the code bytes they came from, so the block is
/// installed only if RAM still holds exactly those bytes when it is ready.
/// </summary>
internal sealed class CompileJob
{
    public CompileJob(HartSharedState shared, int pageIndex, int startOffset, int endOffset, ulong virtualPage, bool pagedData,
        List<(DecodedInstruction D, int Offset)> instructions, byte[] bytes)
    {
        Shared = shared;
        PageIndex = pageIndex;
        StartOffset = startOffset;
        EndOffset = endOffset;
        VirtualPage = virtualPage;
        PagedData = pagedData;
        Instructions = instructions;
        Bytes = bytes;
    }

    /// <summary>The machine's RAM and caches; the compiler thread reads only its constant RAM window.</summary>
    public HartSharedState Shared { get; }

    public TranslationCache Cache => Shared.Translations;

    public int PageIndex { get; }

    public int StartOffset { get; }

    public int EndOffset { get; }

    public ulong VirtualPage { get; }

    public bool PagedData { get; }

    public List<(DecodedInstruction D, int Offset)> Instructions { get; }

    /// <summary>RAM bytes [StartOffset, EndOffset) of the page when the instructions were decoded.</summary>
    public byte[] Bytes { get; }

    /// <summary>The compiled block (set by the compiler thread before the job is handed back).</summary>
    public TranslatedBlock? Block { get; set; }
}
