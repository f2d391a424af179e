namespace Emulator.Robot;

/// <summary>What a Settings import brings in.</summary>
public enum RobotImportKind
{
    Resource,
    Library,
    Variables,
}
