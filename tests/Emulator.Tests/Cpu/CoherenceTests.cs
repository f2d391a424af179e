using Emulator.Loaders;
using Emulator.Peripherals.CPU;
using Emulator.PlatformDescription;
using Emulator.Tests.PlatformDescription;
using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>
/// The cache-line coherence model (docs/counters.md, events 12-17). Two harts are stepped alternately, a fixed
/// number of instructions each, so every round hands the line over exactly once and the expected counts are exact.
/// </summary>
[TestFixture]
public class CoherenceTests
{
    // Both harts spin on one test-and-set lock; after the prologue each round is exactly 5 instructions.
    private const string SpinlockBody = """
            la t1, lock
            li t2, 1
            li t0, 15
            csrw mhpmevent3, t0      # this hart's line transfers
            li t0, 17
            csrw mhpmevent7, t0      # every hart's line transfers
            .globl loop
        loop:
            amoswap.w.aq t3, t2, (t1)
            bnez t3, loop
            addi s1, s1, 1
            sw zero, 0(t1)
            j loop
            .section .data
            .align 6
        lock: .dword 0
            .section .text
        """;

    private static void StepToLoop(HartTestBench t)
    {
        var loop = t.Symbol("loop");
        for (var h = 0; h < t.Machine.Harts.Count; h++)
        {
            for (var i = 0; i < 100 && t.Hart(h).PC != loop; i++)
            {
                t.Hart(h).Step(1);
            }
            Assert.That(t.Hart(h).PC, Is.EqualTo(loop), $"hart {h} did not reach the loop");
        }
    }

    private static void Alternate(HartTestBench t, int rounds, ulong instructionsPerRound)
    {
        for (var r = 0; r < rounds; r++)
        {
            t.Hart(0).Step(instructionsPerRound);
            t.Hart(1).Step(instructionsPerRound);
        }
    }

    [Test]
    public void ASpinlockBouncedBetweenTwoHartsCostsOneTransferPerAcquisition()
    {
        const int rounds = 50;
        var t = new HartTestBench(SpinlockBody, harts: 2);
        t.Machine.CoherenceModelEnabled = true;
        StepToLoop(t);
        Alternate(t, rounds, 5);

        Assert.That(t.X(9, 0), Is.EqualTo((ulong)rounds), "hart 0 acquired the lock every round");
        Assert.That(t.X(9, 1), Is.EqualTo((ulong)rounds), "hart 1 acquired the lock every round");
        var s0 = t.Hart(0).Statistics;
        var s1 = t.Hart(1).Statistics;
        // Hart 0's first acquisition finds the line in no cache; every later one takes it from the other hart.
        Assert.That(s0.LineTransfersByAtomics, Is.EqualTo((ulong)rounds - 1));
        Assert.That(s1.LineTransfersByAtomics, Is.EqualTo((ulong)rounds));
        // The release is a store to a line the releasing hart already holds alone.
        Assert.That(s0.LineTransfersByStores + s1.LineTransfersByStores, Is.Zero);
        Assert.That(s0.LineTransfersByLoads + s1.LineTransfersByLoads, Is.Zero);
        Assert.That(s0.FalseSharingTransfers + s1.FalseSharingTransfers, Is.Zero, "both harts use the same word");

        // The guest sees the same counts in mhpmcounter3 (event 15) and mhpmcounter7 (event 17, every hart).
        Assert.That(t.Hart(1).TryReadCsrForDebugger(0xB03, out var own), Is.True);
        Assert.That(own, Is.EqualTo((ulong)rounds));
        Assert.That(t.Hart(0).TryReadCsrForDebugger(0xB07, out var all), Is.True);
        Assert.That(all, Is.EqualTo(2UL * rounds - 1));
    }

    [Test]
    public void WithoutTheModelNothingIsCountedAndHotCodeIsTranslated()
    {
        var t = new HartTestBench(SpinlockBody, harts: 2);
        StepToLoop(t);
        Alternate(t, 50, 5);
        Assert.That(t.Hart(0).Statistics.LineTransfers + t.Hart(1).Statistics.LineTransfers, Is.Zero);
        Assert.That(t.X(9, 1), Is.EqualTo(50UL));
    }

    [Test]
    public void ALoadOfALineAnotherHartModifiedIsOneTransferThenTheCopyIsShared()
    {
        // Hart 0 stores, hart 1 loads three times: one transfer; hart 0 loads its own line again: none.
        var t = new HartTestBench("""
                la t1, cell
                csrr t0, mhartid
                .globl loop
            loop:
                bnez t0, reader
                sd t0, 0(t1)
                ld t3, 0(t1)
                j park
            reader:
                ld t3, 0(t1)
                ld t3, 8(t1)
                ld t3, 0(t1)
            park:
                j park
                .section .data
                .align 6
            cell: .dword 0, 0
                .section .text
            """, harts: 2);
        t.Machine.CoherenceModelEnabled = true;
        StepToLoop(t);
        t.Hart(0).Step(3);
        t.Hart(1).Step(5);
        t.Hart(0).Step(3);
        Assert.That(t.Hart(1).Statistics.LineTransfersByLoads, Is.EqualTo(1UL));
        Assert.That(t.Hart(0).Statistics.LineTransfers, Is.Zero, "a load of a line this hart still shares is free");
        Assert.That(t.Hart(1).Statistics.FalseSharingTransfers, Is.Zero, "the first load reads the word hart 0 wrote");
    }

    // Each hart stores to its own doubleword at lock + hartid * stride, alternately, 3 instructions a round.
    [TestCase(0, 40, 0, TestName = "Two harts writing the same word: a transfer per write, true sharing")]
    [TestCase(8, 40, 40, TestName = "Two harts writing different words of one line: a transfer per write, all false sharing")]
    [TestCase(64, 0, 0, TestName = "Two harts writing words on different lines: no transfers")]
    public void FalseSharing(int stride, int expectedTransfersOfHart1, int expectedFalseSharingOfHart1)
    {
        const int rounds = 40;
        var t = new HartTestBench($"""
                la t1, cell
                csrr t0, mhartid
                li t2, {stride}
                mul t2, t2, t0
                add t1, t1, t2
                .globl loop
            loop:
                sd s1, 0(t1)
                addi s1, s1, 1
                j loop
                .section .data
                .align 6
            cell: .zero 128
                .section .text
            """, harts: 2);
        t.Machine.CoherenceModelEnabled = true;
        StepToLoop(t);
        Alternate(t, rounds, 3);
        var s0 = t.Hart(0).Statistics;
        var s1 = t.Hart(1).Statistics;
        Assert.That(s1.LineTransfersByStores, Is.EqualTo((ulong)expectedTransfersOfHart1));
        Assert.That(s1.FalseSharingTransfers, Is.EqualTo((ulong)expectedFalseSharingOfHart1));
        Assert.That(s0.LineTransfersByStores, Is.EqualTo((ulong)Math.Max(0, expectedTransfersOfHart1 - 1)));
        Assert.That(s0.FalseSharingTransfers, Is.EqualTo((ulong)Math.Max(0, expectedFalseSharingOfHart1 - 1)));
    }

    [Test]
    public void HartPrivateDataCostsNothingUnderFreeRunningInterleaving()
    {
        // Each hart works on its own line (loads, stores, AMOs, LR/SC) for many slices, then passes.
        var t = new HartTestBench("""
                csrr t0, mhartid
                la t1, cells
                slli t2, t0, 6
                add t1, t1, t2
                addi a1, t1, 8
                addi a2, t1, 16
                li t3, 20000
            1:  ld t4, 0(t1)
                addi t4, t4, 1
                sd t4, 0(t1)
                amoadd.d zero, t4, (a1)
            2:  lr.d t5, (a2)
                addi t5, t5, 1
                sc.d t6, t5, (a2)
                bnez t6, 2b
                addi t3, t3, -1
                bnez t3, 1b
                bnez t0, 3f
                j pass
            3:  j 3b
                .section .data
                .align 6
            cells: .zero 128
                .section .text
            """, harts: 2);
        t.Machine.CoherenceModelEnabled = true;
        t.Machine.QuantumNanoseconds = 1000;
        t.RunToPass(5_000_000);
        Assert.That(t.Hart(1).InstructionsExecuted, Is.GreaterThan(100_000UL), "hart 1 ran its loop too");
        Assert.That(t.Hart(0).Statistics.LineTransfers + t.Hart(1).Statistics.LineTransfers, Is.Zero);
    }

    // Four harts contend for a test-and-test-and-set AMO lock around plain loads and stores to a shared line,
    // then bump an LR/SC counter; each counts its failed attempts in s4. Harts 1-3 report completion to hart 0
    // by an IPI; hart 0 waits in WFI for all of them and exits. Short slices put many slice boundaries inside
    // the contention, so any difference in where a slice ends or when a hart wakes changes the spin counts.
    private const string ContendedProgram = """
            .section .text.start
            .globl _start
        _start:
            csrr a0, mhartid
            li t0, 8
            csrw mie, t0
            la s0, lock
            la s1, shared
            la s3, lrsc
            li s2, 1500
            li s4, 0
            li t1, 1
        loop:
            lw t2, 0(s0)
            bnez t2, spin
            amoswap.w.aq t2, t1, (s0)
            bnez t2, spin
            ld t3, 0(s1)
            addi t3, t3, 1
            sd t3, 0(s1)
            sd a0, 8(s1)
            amoswap.w.rl zero, zero, (s0)
        1:  lr.d t4, (s3)
            addi t4, t4, 1
            sc.d t5, t4, (s3)
            bnez t5, 1b
            addi s2, s2, -1
            bnez s2, loop
            la t0, done
            amoadd.w zero, t1, (t0)
            beqz a0, wait
            li t0, 0x2000000
            sw t1, 0(t0)
        park:
            wfi
            j park
        spin:
            addi s4, s4, 1
            j loop
        wait:
            la t0, done
            lw t2, 0(t0)
            li t3, 4
            beq t2, t3, exit
            wfi
            li t0, 0x2000000
            sw zero, 0(t0)
            j wait
        exit:
            la t0, tohost
            sd t1, 0(t0)
        2:  j 2b
            .section .data
            .align 6
        lock: .dword 0
            .align 6
        shared: .dword 0, 0
            .align 6
        lrsc: .dword 0
        done: .dword 0
            .align 3
            .globl tohost
        tohost: .dword 0
        """;

    private sealed record ContendedRun(ulong[] Instructions, ulong[] Spins, ulong[] WaitsForInterrupt, ulong VirtualTime, ulong Shared, ulong LrSc, ulong Transfers);

    private static ContendedRun RunContended(bool coherence)
    {
        var machine = new Machine { BackgroundTranslation = false, QuantumNanoseconds = 2_000, CoherenceModelEnabled = false };
        PlatformLoader.Load(machine, RepositoryPaths.File("platform/boards/board-4.repl"));
        machine.CoherenceModelEnabled = coherence;
        var image = ElfLoader.Load(machine, GuestToolchain.Build(ContendedProgram));
        var reason = machine.Run(new RunLimits(50_000_000, 10_000_000_000));
        Assert.That(reason, Is.EqualTo(StopReason.GuestExit), $"coherence={coherence}");
        var harts = machine.Harts;
        var ram = machine.SystemBus;
        Assert.That(ram.TryRead(image.Symbols["shared"], 8, out var shared), Is.True);
        Assert.That(ram.TryRead(image.Symbols["lrsc"], 8, out var lrsc), Is.True);
        return new ContendedRun(
            harts.Select(h => h.InstructionsExecuted).ToArray(),
            harts.Select(h => h.GetRegister(20)).ToArray(),
            harts.Select(h => h.Statistics.WaitForInterrupt).ToArray(),
            machine.Clock.Now, shared, lrsc,
            harts.Aggregate(0UL, (sum, h) => sum + h.Statistics.LineTransfers));
    }

    [Test]
    public void TheModelChangesNothingButTheCountsForContendingHarts()
    {
        var off = RunContended(coherence: false);
        var on = RunContended(coherence: true);
        Assert.That(off.Shared, Is.EqualTo(4UL * 1500), "the lock kept the critical section exclusive");
        Assert.That(off.LrSc, Is.EqualTo(4UL * 1500));
        Assert.That(off.Spins.Aggregate(0UL, (a, b) => a + b), Is.GreaterThan(0UL), "the harts did contend for the lock");
        Assert.That(off.Transfers, Is.Zero);
        Assert.That(on.Transfers, Is.GreaterThan(0UL), "the model saw the lock's line move");
        Assert.That(on.Instructions, Is.EqualTo(off.Instructions), "instructions retired per hart");
        Assert.That(on.Spins, Is.EqualTo(off.Spins), "failed lock attempts per hart");
        Assert.That(on.WaitsForInterrupt, Is.EqualTo(off.WaitsForInterrupt), "WFIs per hart (woken by IPIs)");
        Assert.That(on.VirtualTime, Is.EqualTo(off.VirtualTime));
        Assert.That((on.Shared, on.LrSc), Is.EqualTo((off.Shared, off.LrSc)));
    }

    [Test]
    public void TheMonitorTurnsTheModelOnForEveryMachineAndStatisticsShowTheCounts()
    {
        using var emulation = new Emulation();
        using var monitor = new Emulator.Monitor.Monitor(emulation);
        monitor.Execute("mach create");
        Monitor.TestBoard.Populate(emulation.CurrentMachine!, 1);
        Assert.That(emulation.CurrentMachine!.CoherenceModelEnabled, Is.False, "off unless asked for");
        monitor.Execute("emulation SetCoherenceModel true");
        Assert.That(emulation.CurrentMachine!.CoherenceModelEnabled, Is.True);
        monitor.Execute("mach create");
        Assert.That(emulation.CurrentMachine!.CoherenceModelEnabled, Is.True, "machines created later too");
        monitor.Execute("mach set 0");
        Assert.That(monitor.Execute("cpu0 Statistics"), Does.Contain("Line transfers by atomics: 0").And.Contain("False-sharing transfers: 0"));
    }
}
