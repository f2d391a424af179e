namespace Emulator.PlatformDescription;

/// <summary>
/// A platform description after the line stage: comments gone, indentation turned into braces and
/// semicolons, and for every character the place in the original file it came from.
/// </summary>
public sealed class PreLexedText
{
    internal PreLexedText(SourceFile file, string text, SourcePosition[] positions)
    {
        File = file;
        Text = text;
        Positions = positions;
    }

    public SourceFile File { get; }

    public string Text { get; }

    /// <summary>One entry per character of <see cref="Text"/>, plus one for the end of the text.</summary>
    public IReadOnlyList<SourcePosition> Positions { get; }
}
