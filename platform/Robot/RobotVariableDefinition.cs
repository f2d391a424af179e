namespace Emulator.Robot;

/// <summary>An entry of the Variables section: `${x}  value`, `@{list}  a  b`, `&amp;{dict}  k=v`.</summary>
public sealed record RobotVariableDefinition(RobotSourceLocation Location, string Name, IReadOnlyList<string> Values);
