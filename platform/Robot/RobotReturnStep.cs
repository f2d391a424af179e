namespace Emulator.Robot;

/// <summary>`RETURN  value...` in a user keyword.</summary>
public sealed class RobotReturnStep : RobotStep
{
    public RobotReturnStep(RobotSourceLocation location, IReadOnlyList<string> values)
        : base(location)
    {
        Values = values;
    }

    public IReadOnlyList<string> Values { get; }
}
