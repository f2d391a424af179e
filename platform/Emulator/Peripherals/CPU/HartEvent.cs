namespace Emulator.Peripherals.CPU;

/// <summary>
/// Events selectable in mhpmevent3..6 (see docs/counters.md). The numbers are this project's own
/// implementation-defined encoding; 0 counts nothing.
/// </summary>
public enum HartEvent
{
    None = 0,
    AtomicMemoryOperations = 1,
    LoadReserved = 2,
    StoreConditional = 3,
    StoreConditionalFailures = 4,
    AllAtomics = 5,
    SoftwareInterruptsTaken = 6,
    TrapsTaken = 7,
    WaitForInterrupt = 8,
    Fences = 9,
    TimerInterruptsTaken = 10,
    ExternalInterruptsTaken = 11,
    LineTransfersByLoads = 12,
    LineTransfersByStores = 13,
    LineTransfersByAtomics = 14,
    LineTransfers = 15,
    FalseSharingTransfers = 16,
    MachineLineTransfers = 17,
}
