namespace Emulator.Robot;

/// <summary>Where a step, test or keyword comes from; printed as `file:line` in failures and parse errors.</summary>
public readonly record struct RobotSourceLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}
