namespace Emulator;

/// <summary>Why <see cref="Machine.Run"/> returned.</summary>
public enum StopReason
{
    None,
    GuestExit,
    InstructionLimit,
    TimeLimit,
    Paused,
    AllHartsIdle,
    Breakpoint,
    Reset,

    /// <summary>A replay reached the virtual time at which its recording ended.</summary>
    RecordingEnd,
}
