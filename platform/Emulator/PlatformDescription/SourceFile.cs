namespace Emulator.PlatformDescription;

/// <summary>One platform description's text, kept so errors can quote the offending line.</summary>
public sealed class SourceFile
{
    public SourceFile(string displayName, string? path, string text)
    {
        DisplayName = displayName;
        Path = path;
        Lines = text.Replace("\r", "").Split('\n');
    }

    /// <summary>The name errors show (the path as given, or "&lt;string&gt;").</summary>
    public string DisplayName { get; }

    /// <summary>Full path on disk, or null for text loaded from a string.</summary>
    public string? Path { get; }

    public IReadOnlyList<string> Lines { get; }

    public string LineText(int line) => line >= 1 && line <= Lines.Count ? Lines[line - 1] : "";
}
