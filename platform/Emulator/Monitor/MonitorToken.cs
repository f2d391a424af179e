namespace Emulator.Monitor;

/// <summary>
/// One token. <see cref="Text"/> is the token's content (a string without its quotes, a path without `@`,
/// a variable without `$`); numbers, floats, booleans, intervals and ranges also carry their parsed value.
/// </summary>
internal sealed record MonitorToken(TokenKind Kind, string Text)
{
    public ulong Number { get; init; }

    public bool IsNegative { get; init; }

    public double Float { get; init; }

    public bool Boolean { get; init; }

    public TimeSpan Interval { get; init; }

    /// <summary>Inclusive range bounds (the monitor's `&lt;a, b&gt;` is end-inclusive).</summary>
    public ulong RangeStart { get; init; }

    public ulong RangeEnd { get; init; }

    /// <summary>Text glued after a variable (`$ORIGIN/board.repl` has the suffix `/board.repl`).</summary>
    public string Suffix { get; init; } = "";

    public override string ToString() => Kind switch
    {
        TokenKind.String => $"\"{Text}\"",
        TokenKind.Path => "@" + Text,
        TokenKind.Variable => "$" + Text + Suffix,
        _ => Text,
    };
}
