namespace Emulator.Robot;

/// <summary>
/// A keyword call: `${x}=  Keyword Name  arg1  name=arg2`. <see cref="Cells"/> keeps every original cell
/// because in a templated test the whole row is the template's arguments, not a call.
/// </summary>
public sealed class RobotKeywordStep : RobotStep
{
    public RobotKeywordStep(RobotSourceLocation location, IReadOnlyList<string> assign, string name, IReadOnlyList<string> arguments, IReadOnlyList<string> cells)
        : base(location)
    {
        Assign = assign;
        Name = name;
        Arguments = arguments;
        Cells = cells;
    }

    public IReadOnlyList<string> Assign { get; }

    public string Name { get; }

    public IReadOnlyList<string> Arguments { get; }

    public IReadOnlyList<string> Cells { get; }

    /// <summary>A call without assignment, as used by setups, teardowns and `Run Keyword`.</summary>
    public static RobotKeywordStep Call(RobotSourceLocation location, IReadOnlyList<string> cells) =>
        new(location, Array.Empty<string>(), cells[0], cells.Skip(1).ToArray(), cells);
}
