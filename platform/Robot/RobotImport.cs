namespace Emulator.Robot;

/// <summary>`Resource  path`, `Library  name  args...` or `Variables  file` in the Settings section.</summary>
public sealed record RobotImport(RobotSourceLocation Location, RobotImportKind Kind, string Name, IReadOnlyList<string> Arguments);
