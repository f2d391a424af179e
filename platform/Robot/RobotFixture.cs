namespace Emulator.Robot;

/// <summary>
/// A setup, teardown or template setting. <see cref="Step"/> is null when the setting says `NONE` (or is
/// empty), which disables an inherited default; an absent setting is represented by no fixture at all.
/// </summary>
public sealed record RobotFixture(RobotSourceLocation Location, RobotKeywordStep? Step);
