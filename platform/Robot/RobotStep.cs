namespace Emulator.Robot;

/// <summary>One statement of a test or keyword body: a keyword call or a control structure.</summary>
public abstract class RobotStep
{
    protected RobotStep(RobotSourceLocation location)
    {
        Location = location;
    }

    public RobotSourceLocation Location { get; }
}
