namespace Emulator.Robot;

/// <summary>`FOR  ${i}  IN RANGE  3` ... `END`.</summary>
public sealed class RobotForStep : RobotStep
{
    public RobotForStep(RobotSourceLocation location, IReadOnlyList<string> loopVariables, RobotForFlavor flavor, IReadOnlyList<string> values, IReadOnlyList<RobotStep> body)
        : base(location)
    {
        LoopVariables = loopVariables;
        Flavor = flavor;
        Values = values;
        Body = body;
    }

    public IReadOnlyList<string> LoopVariables { get; }

    public RobotForFlavor Flavor { get; }

    public IReadOnlyList<string> Values { get; }

    public IReadOnlyList<RobotStep> Body { get; }
}
