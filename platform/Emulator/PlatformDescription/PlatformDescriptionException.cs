using System.Text;
using Emulator.Core;

namespace Emulator.PlatformDescription;

/// <summary>
/// A platform description error, formatted as Renode prints it:
/// <code>
/// Error E04: Could not resolve type: 'UART.Foo'.
/// At board.repl:12:8:
/// uart0: UART.Foo @ sysbus 0x10000000
///        ^
/// </code>
/// </summary>
public sealed class PlatformDescriptionException : EmulationException
{
    public PlatformDescriptionException(ParsingErrorCode code, string description, SourcePosition? position)
        : base(Format(code, description, position))
    {
        Code = code;
        Description = description;
        Position = position;
    }

    public ParsingErrorCode Code { get; }

    /// <summary>The message without the code and location.</summary>
    public string Description { get; }

    public SourcePosition? Position { get; }

    private static string Format(ParsingErrorCode code, string description, SourcePosition? position)
    {
        var text = new StringBuilder();
        text.Append("Error E").Append(((int)code).ToString("00", System.Globalization.CultureInfo.InvariantCulture)).Append(": ").Append(description);
        if (position is { } at)
        {
            text.Append('\n').Append("At ").Append(at.File.DisplayName).Append(':').Append(at.Line).Append(':').Append(at.Column).Append(":\n");
            var line = at.File.LineText(at.Line);
            text.Append(line).Append('\n');
            // Keep tabs under tabs so the caret lines up in a terminal.
            for (var i = 0; i < at.Column - 1 && i < line.Length; i++)
            {
                text.Append(line[i] == '\t' ? '\t' : ' ');
            }
            text.Append('^');
        }
        return text.ToString();
    }
}
