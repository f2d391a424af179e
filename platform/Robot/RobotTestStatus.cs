namespace Emulator.Robot;

/// <summary>Outcome of a test, as Robot reports it.</summary>
public enum RobotTestStatus
{
    Pass,
    Fail,
    Skip,
}
