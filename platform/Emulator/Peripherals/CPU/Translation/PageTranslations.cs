namespace Emulator.Peripherals.CPU.Translation;

/// <summary>The translated blocks of one physical RAM page, indexed by the 2-byte slot of their first instruction, and the heat of block heads.</summary>
internal sealed class PageTranslations
{
    /// <summary>Heat value that marks a head whose first instruction cannot be translated (so it is not tried again).</summary>
    public const ushort Untranslatable = ushort.MaxValue;

    /// <summary>Heat value of a head whose block is being compiled in the background (not queued again meanwhile).</summary>
    public const ushort Pending = ushort.MaxValue - 1;

    public TranslatedBlock?[] Blocks { get; } = new TranslatedBlock?[HartSharedState.SlotsPerPage];

    /// <summary>How often the interpreter arrived at each head without a block.</summary>
    public ushort[] Hits { get; } = new ushort[HartSharedState.SlotsPerPage];

    /// <summary>Every live block of the page, so a store can drop exactly the blocks whose bytes it changes.</summary>
    public List<TranslatedBlock> Live { get; } = new();
}
