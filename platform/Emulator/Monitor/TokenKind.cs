namespace Emulator.Monitor;

/// <summary>The lexical classes of Renode's monitor language.</summary>
internal enum TokenKind
{
    Word,
    String,
    MultilineString,
    Path,
    Number,
    Float,
    Boolean,
    Interval,
    Range,
    Variable,
    Assign,
    ConditionalAssign,
}
