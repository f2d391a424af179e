namespace Emulator.Robot;

/// <summary>A test case and its own settings ([Tags], [Setup], [Teardown], [Timeout], [Template]).</summary>
public sealed class RobotTestCase
{
    public RobotTestCase(string name, RobotSourceLocation location)
    {
        Name = name;
        Location = location;
    }

    public string Name { get; }

    public RobotSourceLocation Location { get; }

    public string Documentation { get; set; } = "";

    /// <summary>Null when the test has no [Tags] (Default Tags then apply).</summary>
    public List<string>? Tags { get; set; }

    public RobotFixture? Setup { get; set; }

    public RobotFixture? Teardown { get; set; }

    public string? Timeout { get; set; }

    /// <summary>The [Template] keyword name; empty string means `NONE` (no template even if the suite has one).</summary>
    public string? Template { get; set; }

    public List<RobotStep> Body { get; } = new();
}
