using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>Runs are reproducible for the same inputs; a seed changes the interleaving, reproducibly.</summary>
[TestFixture]
public class DeterminismTests
{
    // Four harts race on a shared counter with plain (non-atomic) read-modify-write and record, per
    // hart, the order in which they appended to a log. The final state depends on the interleaving.
    // Shared with TranslationTests; the data sits on its own page so its stores never touch decoded code.
    internal const string RacyProgram = """
            csrr a0, mhartid
            la s0, counter
            la s1, log
            la s2, done
            li t0, 2000
            1:  ld t1, 0(s0)             # racy increment
            addi t1, t1, 1
            sd t1, 0(s0)
            ld t2, 8(s0)             # log position, also racy
            andi t3, t2, 255
            add t3, t3, s1
            sb a0, 0(t3)
            addi t2, t2, 1
            sd t2, 8(s0)
            addi t0, t0, -1
            bnez t0, 1b
            li t4, 1
            amoadd.d zero, t4, (s2)
            bnez a0, 3f
            2:  ld t5, 0(s2)
            li t6, 4
            bne t5, t6, 2b
            ld a1, 0(s0)
            j pass
            3:  j 3b
            .section .data
            .align 12
            counter: .dword 0, 0
            done: .dword 0
            log: .space 256
            .section .text
            """;

    private static (ulong counter, ulong[] perHart, byte[] log) RunOnce(int? seed, ulong quantum = 2_000)
    {
        var t = new HartTestBench(RacyProgram, harts: 4);
        t.Machine.QuantumNanoseconds = quantum;
        t.Machine.Seed = seed;
        t.RunToPass(20_000_000);
        var log = new byte[256];
        t.Machine.SystemBus.ReadBytes(t.Symbol("log"), log);
        var perHart = t.Machine.Harts.Select(h => h.InstructionsExecuted).ToArray();
        return (t.X(11), perHart, log);
    }

    [Test]
    public void SameInputsGiveIdenticalInstructionCountsAndMemory()
    {
        var a = RunOnce(null);
        var b = RunOnce(null);
        Assert.That(b.perHart, Is.EqualTo(a.perHart));
        Assert.That(b.counter, Is.EqualTo(a.counter));
        Assert.That(b.log, Is.EqualTo(a.log));
    }

    [Test]
    public void SameSeedReplaysTheSameInterleaving()
    {
        var a = RunOnce(42);
        var b = RunOnce(42);
        Assert.That(b.perHart, Is.EqualTo(a.perHart));
        Assert.That(b.log, Is.EqualTo(a.log));
    }

    [Test]
    public void DifferentSeedsExploreDifferentInterleavings()
    {
        var logs = Enumerable.Range(1, 4).Select(seed => Convert.ToHexString(RunOnce(seed).log)).ToHashSet();
        logs.Add(Convert.ToHexString(RunOnce(null).log));
        Assert.That(logs.Count, Is.GreaterThan(1), "at least two seeds interleave the harts differently");
    }
}
