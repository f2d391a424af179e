namespace Emulator.Robot;

/// <summary>How a tester's wait ended.</summary>
public enum RobotWaitOutcome
{
    Matched,
    TimedOut,
    EmulationStopped,
    TimeStalled,
}
