namespace Emulator.Robot;

/// <summary>A keyword written in Robot syntax (Keywords section of a suite or resource file).</summary>
public sealed class RobotUserKeyword
{
    public RobotUserKeyword(string name, RobotSourceLocation location)
    {
        Name = name;
        Location = location;
    }

    public string Name { get; }

    public RobotSourceLocation Location { get; }

    public List<RobotArgumentSpec> Arguments { get; } = new();

    /// <summary>Names of embedded arguments (`Boot On ${harts} Harts`), in order; empty for a plain name.</summary>
    public List<string> EmbeddedArguments { get; } = new();

    public string Documentation { get; set; } = "";

    public List<string> Tags { get; } = new();

    public RobotFixture? Teardown { get; set; }

    /// <summary>Values of the legacy [Return] setting; RETURN steps are the modern form.</summary>
    public List<string>? ReturnValues { get; set; }

    public string? Timeout { get; set; }

    public List<RobotStep> Body { get; } = new();
}
