namespace Emulator.Robot;

/// <summary>A line a terminal tester matched: its text, virtual time in milliseconds, and regex groups (group 1 first).</summary>
public sealed record RobotTerminalMatch(string Line, double Timestamp, IReadOnlyList<string> Groups)
{
    /// <summary>Renode's TerminalTesterResult as a Robot value: `${r.line}`, `${r.timestamp}`, `${r.groups[0]}`.</summary>
    public Dictionary<string, object?> ToRobotValue() => new()
    {
        ["line"] = Line,
        ["timestamp"] = Timestamp,
        ["groups"] = Groups.Select(g => (object?)g).ToList(),
    };
}
