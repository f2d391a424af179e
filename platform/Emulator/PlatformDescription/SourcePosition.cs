namespace Emulator.PlatformDescription;

/// <summary>A place in a platform description; line and column count from 1.</summary>
public readonly record struct SourcePosition(SourceFile File, int Line, int Column)
{
    public override string ToString() => $"{File.DisplayName}:{Line}:{Column}";
}
