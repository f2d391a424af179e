namespace Emulator.PlatformDescription.Syntax;

/// <summary><c>using "path"</c>.</summary>
public sealed record UsingEntry(SourcePosition Position, string Path);
