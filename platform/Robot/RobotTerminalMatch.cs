namespace Emulator.Robot;

/// <summary>A line a terminal tester matched: its text, virtual time in milliseconds, and regex groups (group 1 first).</summary>
public sealed record RobotTerminalMatch(string Line, double Timestamp, IReadOnlyList<string> Groups)
{
    /// <summary>
    /// Renode's TerminalTesterResult as a Robot value, with its field names (renode-infrastructure
    /// Testing/TerminalTester.cs): `${r.Line}`, `${r.Timestamp}`, `${r.Groups[0]}`, `${r.IsFailingString}`.
    /// Attribute access is case-sensitive, as on the DotDict Robot's Remote library makes of it.
    /// </summary>
    public Dictionary<string, object?> ToRobotValue() => new(StringComparer.Ordinal)
    {
        ["Line"] = Line,
        ["Timestamp"] = Timestamp,
        ["Groups"] = Groups.Select(g => (object?)g).ToList(),
        ["IsFailingString"] = false,
    };
}
