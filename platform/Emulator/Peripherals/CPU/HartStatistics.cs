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

    internal void Clear()
    {
        Instructions = AtomicMemoryOperations = LoadReserved = StoreConditional = StoreConditionalFailures = 0;
        SoftwareInterruptsTaken = TimerInterruptsTaken = ExternalInterruptsTaken = Traps = WaitForInterrupt = Fences = 0;
    }

    public override string ToString() =>
        $"instructions={Instructions} amo={AtomicMemoryOperations} lr={LoadReserved} sc={StoreConditional} sc_failed={StoreConditionalFailures} " +
        $"ipis={SoftwareInterruptsTaken} timer_irqs={TimerInterruptsTaken} ext_irqs={ExternalInterruptsTaken} traps={Traps} wfi={WaitForInterrupt} fences={Fences}";
}
