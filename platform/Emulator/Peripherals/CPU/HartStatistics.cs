namespace Emulator.Peripherals.CPU;

/// <summary>
/// Counts kept by every hart; the same events feed mhpmcounter3.. (see docs/counters.md).
/// </summary>
public sealed class HartStatistics
{
    public ulong Instructions { get; internal set; }
    public ulong AtomicMemoryOperations { get; internal set; }
    public ulong LoadReserved { get; internal set; }
    public ulong StoreConditional { get; internal set; }
    public ulong StoreConditionalFailures { get; internal set; }
    public ulong SoftwareInterruptsTaken { get; internal set; }
    public ulong TimerInterruptsTaken { get; internal set; }
    public ulong ExternalInterruptsTaken { get; internal set; }
    public ulong Traps { get; internal set; }
    public ulong WaitForInterrupt { get; internal set; }
    public ulong Fences { get; internal set; }

    /// <summary>Cache-line transfers caused by this hart's loads (coherence model only; docs/counters.md).</summary>
    public ulong LineTransfersByLoads { get; internal set; }
    public ulong LineTransfersByStores { get; internal set; }
    public ulong LineTransfersByAtomics { get; internal set; }

    /// <summary>The transfers above in which this hart touched none of the bytes the other harts used.</summary>
    public ulong FalseSharingTransfers { get; internal set; }

    public ulong LineTransfers => LineTransfersByLoads + LineTransfersByStores + LineTransfersByAtomics;

    internal void Clear()
    {
        Instructions = AtomicMemoryOperations = LoadReserved = StoreConditional = StoreConditionalFailures = 0;
        SoftwareInterruptsTaken = TimerInterruptsTaken = ExternalInterruptsTaken = Traps = WaitForInterrupt = Fences = 0;
        LineTransfersByLoads = LineTransfersByStores = LineTransfersByAtomics = FalseSharingTransfers = 0;
    }

    public override string ToString() =>
        $"instructions={Instructions} amo={AtomicMemoryOperations} lr={LoadReserved} sc={StoreConditional} sc_failed={StoreConditionalFailures} " +
        $"ipis={SoftwareInterruptsTaken} timer_irqs={TimerInterruptsTaken} ext_irqs={ExternalInterruptsTaken} traps={Traps} wfi={WaitForInterrupt} fences={Fences} " +
        $"xfer_load={LineTransfersByLoads} xfer_store={LineTransfersByStores} xfer_atomic={LineTransfersByAtomics} false_sharing={FalseSharingTransfers}";
}
