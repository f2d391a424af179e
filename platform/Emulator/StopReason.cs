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
}
