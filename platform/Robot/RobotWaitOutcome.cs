namespace Emulator.Robot;

/// <summary>How a tester's wait ended.</summary>
public enum RobotWaitOutcome
{
    Matched,
    TimedOut,
    EmulationStopped,
    TimeStalled,

    /// <summary>A replay reached the point where its recording stopped (`emu replay`).</summary>
    RecordingEnded,
}
