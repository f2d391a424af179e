using Emulator.Core;

namespace Emulator.Peripherals.CPU;

public sealed partial class RiscV64
{
    // Integer registers; x[0] is forced back to zero after every instruction.
    private readonly ulong[] x = new ulong[32];
    private ulong pc;
    private PrivilegeLevel privilege = PrivilegeLevel.Machine;
    private Machine? machine;
    private HartSharedState? shared;

    // Executed instruction slots (including ones that trapped) drive virtual time and mcycle;
    // retired instructions drive minstret.
    private ulong executedTotal;
    private ulong sliceStartExecuted;
    private ulong retired;

    private bool waitingForInterrupt;
    private bool hasReservation;
    private ulong reservationAddress;

    // Set when something may need a look between instructions (interrupt lines, CSR changes, breakpoints).
    private bool attention;

    private readonly HashSet<ulong> breakpoints = new();
    private readonly List<Watchpoint> watchpoints = new();
    private bool skipBreakpointAt;
    private ulong skipBreakpointAddress;

    public ulong PC
    {
        get => pc;
        set
        {
            pc = value;
            waitingForInterrupt = false;
        }
    }

    public PrivilegeLevel Privilege => privilege;

    public ulong InstructionsExecuted => retired;

    public bool IsWaitingForInterrupt => waitingForInterrupt;

    /// <summary>True when the hart would execute if given a slice (not halted, not sleeping in WFI without a wake-up).</summary>
    public bool CanRun => !IsHalted && (!waitingForInterrupt || (ReadMip() & mie) != 0);

    internal bool HasReservation => hasReservation;

    internal ulong ReservationAddress => reservationAddress;

    // While the machine has a slice open, a hart may be run several times in it (woken by another hart
    // after a WFI); its clock keeps counting from the slice's start across those calls.
    private bool sliceOpen;

    internal void BeginSlice()
    {
        sliceOpen = true;
        sliceStartExecuted = executedTotal;
    }

    internal void EndSlice() => sliceOpen = false;

    /// <summary>
    /// Progress into the current slice. Read from other threads too (a tester waiting on virtual time), where
    /// the two counters may be caught mid-update: a start newer than the count then reads as zero progress,
    /// not as an unsigned wrap-around of many years that would end every wait at once.
    /// </summary>
    internal ulong NanosecondsIntoSlice
    {
        get
        {
            var start = Volatile.Read(ref sliceStartExecuted);
            var executed = Volatile.Read(ref executedTotal);
            return executed > start ? (ulong)((executed - start) * 1000 / PerformanceInMips) : 0;
        }
    }

    internal ulong InstructionsFor(ulong nanoseconds) => (ulong)(nanoseconds * PerformanceInMips / 1000);

    public Machine? Machine => machine;

    internal void AttachTo(Machine owner) => machine = owner;

    public ulong GetRegister(int index)
    {
        if ((uint)index >= 32)
        {
            throw new EmulationException($"register index {index} is out of range 0..31");
        }
        return x[index];
    }

    public void SetRegister(int index, ulong value)
    {
        if ((uint)index >= 32)
        {
            throw new EmulationException($"register index {index} is out of range 0..31");
        }
        if (index != 0)
        {
            x[index] = value;
        }
    }

    public void Reset()
    {
        Array.Clear(x);
        pc = ResetVector;
        privilege = PrivilegeLevel.Machine;
        executedTotal = 0;
        sliceStartExecuted = 0;
        retired = 0;
        waitingForInterrupt = false;
        ClearReservation();
        ResetCsrs();
        Statistics.Clear();
        IsHalted = false;
        attention = true;
    }

    internal void ClearReservation()
    {
        if (hasReservation)
        {
            hasReservation = false;
            if (shared != null)
            {
                shared.ActiveReservations--;
            }
        }
    }

    private void SetReservation(ulong address)
    {
        if (!hasReservation)
        {
            hasReservation = true;
            shared!.ActiveReservations++;
        }
        reservationAddress = address & ~7UL;
    }

    /// <summary>GPIO inputs drive the hardware-owned bits of mip (3 MSIP, 7 MTIP, 11 MEIP; 1, 5, 9 for S-mode).</summary>
    public void OnGPIO(int number, bool value)
    {
        if (number < 0 || number >= 64 || number is 0 or 2 or 4 or 6 or 8 or 10)
        {
            machine?.Log.Warning(machine.GetName(this), $"GPIO {number} is not an interrupt input of this hart; ignored");
            return;
        }
        var bit = 1UL << number;
        if (value)
        {
            if (number is 1 or 3 && (mipLines & bit) == 0 && machine?.Trace != null && machine.CurrentHart is { } sender)
            {
                // A hart's store raised this software interrupt: an IPI, drawn as an arrow in the trace.
                machine.Trace.IpiRaised((int)sender.HartId, (int)HartId);
            }
            mipLines |= bit;
        }
        else
        {
            mipLines &= ~bit;
        }
        attention = true;
    }

    public void AddBreakpoint(ulong address)
    {
        breakpoints.Add(address);
        attention = true;
    }

    public void RemoveBreakpoint(ulong address) => breakpoints.Remove(address);

    public IReadOnlyCollection<ulong> Breakpoints => breakpoints;

    public void AddWatchpoint(ulong address, ulong length, WatchpointKind kind)
    {
        watchpoints.Add(new Watchpoint(address, length, kind));
        UpdateTranslationState();
    }

    public void RemoveWatchpoint(ulong address, ulong length, WatchpointKind kind)
    {
        watchpoints.RemoveAll(w => w.Address == address && w.Length == length && w.Kind == kind);
        UpdateTranslationState();
    }

    /// <summary>What stopped this hart last (breakpoint or watchpoint), for debuggers.</summary>
    public HaltReason? LastHalt { get; private set; }

    /// <summary>Executes up to <paramref name="count"/> instructions while the machine is paused (`cpu0 Step`, GDB).</summary>
    public ulong Step(ulong count = 1)
    {
        var wasHalted = IsHalted;
        IsHalted = false;
        skipBreakpointAt = true;
        skipBreakpointAddress = pc;
        var done = Execute(count);
        IsHalted = wasHalted;
        return done;
    }

    internal void ForgetFetchPage(int page)
    {
        if (fetchPageIndex == page)
        {
            fetchPageIndex = -1;
            fetchSlots = null;
        }
    }

    public override string ToString() => $"RiscV64(hart {HartId})";
}
