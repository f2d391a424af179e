using Emulator.Peripherals.CPU;

namespace Emulator.Monitor;

/// <summary>Monitor commands for a hart (`cpu0 PC`, `cpu0 Step`); every public member of RiscV64 is reachable too.</summary>
public sealed class CpuObject
{
    private readonly Monitor monitor;
    private readonly Machine machine;
    private readonly RiscV64 hart;

    internal CpuObject(Monitor monitor, Machine machine, RiscV64 hart)
    {
        this.monitor = monitor;
        this.machine = machine;
        this.hart = hart;
    }

    public ulong PC
    {
        get => hart.PC;
        set => hart.PC = value;
    }

    /// <summary>Pauses the emulation, executes <paramref name="count"/> instructions on this hart and returns the new PC.</summary>
    [MonitorThread]
    public ulong Step(int count = 1)
    {
        if (count < 1)
        {
            throw new MonitorException("Step needs a positive number of instructions");
        }
        monitor.Emulation.Pause();
        hart.Step((ulong)count);
        return hart.PC;
    }

    /// <summary>Event counters, one per line.</summary>
    public string Statistics
    {
        get
        {
            var s = hart.Statistics;
            return $"Instructions: {s.Instructions}\nAtomic memory operations: {s.AtomicMemoryOperations}\nLoad-reserved: {s.LoadReserved}\n" +
                   $"Store-conditional: {s.StoreConditional}\nStore-conditional failures: {s.StoreConditionalFailures}\n" +
                   $"Software interrupts taken: {s.SoftwareInterruptsTaken}\nTimer interrupts taken: {s.TimerInterruptsTaken}\n" +
                   $"External interrupts taken: {s.ExternalInterruptsTaken}\nTraps: {s.Traps}\nWFI: {s.WaitForInterrupt}\nFences: {s.Fences}\n" +
                   $"Line transfers by loads: {s.LineTransfersByLoads}\nLine transfers by stores: {s.LineTransfersByStores}\n" +
                   $"Line transfers by atomics: {s.LineTransfersByAtomics}\nFalse-sharing transfers: {s.FalseSharingTransfers}\n" +
                   $"Counted in idle spins: {hart.SpinSkippedInstructions}";
        }
    }

    public ulong ExecutedInstructions => hart.InstructionsExecuted;

    /// <summary>The symbol at the PC, when an ELF with symbols is loaded.</summary>
    public string? Symbol => machine.LoadedImage?.Describe(hart.PC);
}
