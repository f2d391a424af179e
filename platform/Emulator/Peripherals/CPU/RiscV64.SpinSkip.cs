using System.Runtime.CompilerServices;

namespace Emulator.Peripherals.CPU;

/// <summary>
/// Idle-spin skipping (docs/translator.md, "Idle spins"). Two hints mark a loop that waits for another hart: a WFI
/// that returns at once, because an interrupt is pending and enabled in mie but not taken (OpenSBI's
/// `sbi_hsm_hart_wait`), and PAUSE (Linux's `cpu_relax()` in its lock and flag polls). Within one turn of a hart no
/// other hart runs, so once one round of such a loop is proven to leave the hart exactly as it found it, every
/// further round in the turn does the same: the rounds are counted instead of executed. The guest sees the same
/// instruction counts, the same statistics and the same state.
/// </summary>
public sealed unsafe partial class RiscV64
{
    // A round longer than this is not treated as a spin (the check interprets it instruction by instruction).
    private const int MaxSpinRound = 64;

    // PAUSE (Zihintpause): FENCE with predecessor W, no successor, rd = rs1 = x0.
    internal const uint PauseEncoding = 0x0100000F;

    private enum SpinStage : byte
    {
        None,
        // The hint at spinPc was seen; the next time there starts a checked round.
        Seen,
        // A round from spinPc is being checked before each instruction (HandleAttention).
        Checking,
        // The checked round did not repeat itself: not tried again in this turn.
        GivenUp,
    }

    private SpinStage spinStage;
    private bool spinRoundImpure;
    private ulong spinPc;
    private ulong spinLimit;
    private readonly ulong[] spinRegisters = new ulong[32];
    private ulong spinExecuted;
    private ulong spinMip;
    private ulong spinWfis;
    private ulong spinFences;
    private ulong spinEvents;

    private bool SpinChecking => spinStage == SpinStage.Checking;

    /// <summary>Instructions counted rather than executed in proven idle spins (statistics and tests).</summary>
    public ulong SpinSkippedInstructions { get; private set; }

    private ulong EventsThatChangeState =>
        Statistics.Traps + Statistics.SoftwareInterruptsTaken + Statistics.TimerInterruptsTaken + Statistics.ExternalInterruptsTaken
        + Statistics.AtomicMemoryOperations + Statistics.LoadReserved + Statistics.StoreConditional;

    /// <summary>
    /// A new turn, which ends when executedTotal reaches <paramref name="limit"/>: other harts may have run, so
    /// nothing proven in an earlier turn holds.
    /// </summary>
    private void ForgetSpin(ulong limit)
    {
        spinStage = SpinStage.None;
        spinLimit = limit;
    }

    /// <summary>
    /// At a spin hint at <paramref name="hintPc"/>: after a WFI that returned at once (pc is past it), or before a
    /// PAUSE executes (pc is on it; from the interpreter or a block's call-out). Notes the hint, starts a checked
    /// round the second time, and the third time skips whole rounds if the checked round repeated itself. The
    /// state a round starts from is the same at every visit of the same hint, so the rounds line up.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AtSpinHint(ulong hintPc)
    {
        if (!machine!.SpinSkipping || storeBuffer != null || coherence != null || breakpoints.Count != 0 || watchpoints.Count != 0)
        {
            return;
        }
        if (hintPc == spinPc)
        {
            switch (spinStage)
            {
                case SpinStage.Seen:
                    BeginSpinCheck();
                    return;
                case SpinStage.Checking:
                    EndSpinCheck();
                    return;
                case SpinStage.GivenUp:
                    return;
            }
        }
        spinPc = hintPc;
        spinStage = SpinStage.Seen;
    }

    private void BeginSpinCheck()
    {
        // The first round after entering the loop may still change memory (a stack slot saved for the first time),
        // so the checked round is the second: from here on every store must write what memory already holds.
        x.CopyTo(spinRegisters, 0);
        spinExecuted = executedTotal;
        spinMip = ReadMip();
        spinWfis = Statistics.WaitForInterrupt;
        spinFences = Statistics.Fences;
        spinEvents = EventsThatChangeState;
        spinRoundImpure = false;
        spinStage = SpinStage.Checking;
        attention = true;
    }

    private void EndSpinCheck()
    {
        var round = executedTotal - spinExecuted;
        // Proven: registers, pc (the same hint), pending interrupts and memory (every store silent, every load from
        // RAM) are as they were a round ago, and nothing in the round read a clock or a device. No trap or interrupt
        // was taken (so every slot retired and the privilege is the one the round began in: only traps, MRET and
        // SRET change it, and a pure round has no return). The round is a function of that state alone, so it
        // repeats until the turn ends.
        var repeats = !spinRoundImpure && round > 0 && ReadMip() == spinMip && EventsThatChangeState == spinEvents
            && x.AsSpan().SequenceEqual(spinRegisters);
        if (!repeats)
        {
            spinStage = SpinStage.GivenUp;
            return;
        }
        // One slot is kept back: at a PAUSE the hint instruction itself is still to be counted.
        var left = spinLimit > executedTotal ? spinLimit - executedTotal : 0;
        var rounds = left > 0 ? (left - 1) / round : 0;
        if (rounds > 0)
        {
            executedTotal += rounds * round;
            retired += rounds * round;
            Statistics.WaitForInterrupt += rounds * (Statistics.WaitForInterrupt - spinWfis);
            Statistics.Fences += rounds * (Statistics.Fences - spinFences);
            SpinSkippedInstructions += rounds * round;
        }
        // What is left of the budget is less than a round and runs as usual.
        spinStage = SpinStage.Seen;
    }

    /// <summary>A FENCE's count, and PAUSE's spin hint: the interpreter and a block's call-out both come here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountFence(uint raw, ulong at)
    {
        if (raw == PauseEncoding)
        {
            AtSpinHint(at);
        }
        Statistics.Fences++;
    }

    /// <summary>
    /// Before each instruction of a checked round (from HandleAttention, which stays on): marks the round impure
    /// unless the instruction only computes, branches, loads from RAM or stores what RAM already holds there.
    /// Reads nothing through the fetch or data paths, so the check itself changes nothing.
    /// </summary>
    private void CheckSpinInstruction()
    {
        attention = true;
        if (spinRoundImpure)
        {
            return;
        }
        if (executedTotal - spinExecuted >= MaxSpinRound || !PeekInstructionInRam(pc, out var d))
        {
            spinRoundImpure = true;
            return;
        }
        var op = d.Op;
        if (op is >= Opcode.Lui and <= Opcode.Bgeu or >= Opcode.Addi and <= Opcode.Remuw or Opcode.Fence or Opcode.Wfi)
        {
            return;
        }
        if (op is >= Opcode.Lb and <= Opcode.Lwu)
        {
            var size = LoadSize(op);
            spinRoundImpure = !DataInRam(x[d.Rs1] + (ulong)d.Imm, size, AccessLoad, out _);
            return;
        }
        if (op is >= Opcode.Sb and <= Opcode.Sd)
        {
            var size = 1 << (op - Opcode.Sb);
            if (!DataInRam(x[d.Rs1] + (ulong)d.Imm, size, AccessStore, out var offset))
            {
                spinRoundImpure = true;
                return;
            }
            var mask = size == 8 ? ulong.MaxValue : (1UL << (8 * size)) - 1;
            ulong held = size switch
            {
                1 => ram[offset],
                2 => *(ushort*)(ram + offset),
                4 => *(uint*)(ram + offset),
                _ => *(ulong*)(ram + offset),
            };
            spinRoundImpure = held != (x[d.Rs2] & mask);
            return;
        }
        // CSRs (clocks among them), atomics, LR/SC, traps, returns, fences that flush, anything else.
        spinRoundImpure = true;
    }

    /// <summary>The instruction at <paramref name="vpc"/>, decoded from RAM through the TLB without a walk or a fault.</summary>
    private bool PeekInstructionInRam(ulong vpc, out DecodedInstruction d)
    {
        d = default;
        var ppc = vpc;
        if (fetchTranslate && !TlbHit(vpc, AccessFetch, out ppc))
        {
            return false;
        }
        var offset = ppc - ramBase;
        if (!ramUsable || offset > ramSize - 4 || (vpc & 0xFFF) > 0xFFC)
        {
            return false;
        }
        uint raw = *(ushort*)(ram + offset);
        if ((raw & 3) == 3)
        {
            raw |= (uint)*(ushort*)(ram + offset + 2) << 16;
        }
        InstructionDecoder.Decode(raw, ref d);
        return true;
    }

    /// <summary>True when an aligned access of <paramref name="size"/> bytes at <paramref name="address"/> is main RAM now (TLB hit under paging).</summary>
    private bool DataInRam(ulong address, int size, int access, out ulong ramOffset)
    {
        ramOffset = address - ramBase;
        if ((address & (ulong)(size - 1)) != 0 || !ramUsable)
        {
            return false;
        }
        return dataTranslate ? TlbHitInRam(address, access, size, out ramOffset) : ramOffset <= ramSize - (ulong)size;
    }
}
