namespace Emulator.Robot;

/// <summary>`BREAK` (<see cref="IsBreak"/>) or `CONTINUE` inside a loop.</summary>
public sealed class RobotLoopControlStep : RobotStep
{
    public RobotLoopControlStep(RobotSourceLocation location, bool isBreak)
        : base(location)
    {
        IsBreak = isBreak;
    }

    public bool IsBreak { get; }
}
