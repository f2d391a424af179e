namespace Emulator.PlatformDescription.Syntax;

/// <summary>A parsed platform description: its usings, then its entries in order.</summary>
public sealed record DescriptionFile(SourceFile Source, IReadOnlyList<UsingEntry> Usings, IReadOnlyList<Entry> Entries);
