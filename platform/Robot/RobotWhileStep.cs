namespace Emulator.Robot;

/// <summary>`WHILE  condition  [limit=N]` ... `END`.</summary>
public sealed class RobotWhileStep : RobotStep
{
    public RobotWhileStep(RobotSourceLocation location, string condition, string? limit, IReadOnlyList<RobotStep> body)
        : base(location)
    {
        Condition = condition;
        Limit = limit;
        Body = body;
    }

    public string Condition { get; }

    public string? Limit { get; }

    public IReadOnlyList<RobotStep> Body { get; }
}
