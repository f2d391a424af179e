namespace Emulator.Robot;

/// <summary>One branch of an IF: <see cref="Condition"/> is null for ELSE.</summary>
public sealed record RobotIfBranch(RobotSourceLocation Location, string? Condition, IReadOnlyList<RobotStep> Body);
