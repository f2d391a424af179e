namespace Emulator.Peripherals.CPU;

/// <summary>Why a hart stopped for a debugger: a breakpoint at an address, or a watchpoint on a data address.</summary>
public readonly record struct HaltReason(bool IsWatchpoint, ulong Address, WatchpointKind Kind);
