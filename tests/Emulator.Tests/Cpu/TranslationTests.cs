using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Emulator.Peripherals.CPU;
using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>
/// The translator (docs/translator.md) must not change what the guest sees: every program here runs once
/// interpreted and once translated (threshold 1, so everything hot or not is translated at its first arrival)
/// and must end with the same registers, pc, retired and executed counts, trap statistics, CSRs and RAM.
/// </summary>
[TestFixture]
public class TranslationTests
{
    // 11 instructions per round, like tests/bench/alu-loop.S.
    internal const string AluLoop = """
            li t0, 0
            li t1, 1
            li t2, 3
            li a1, 5000
            1:  add t0, t0, t1
            xor t3, t0, t2
            slli t4, t3, 3
            sub t5, t4, t0
            andi t6, t5, 0xff
            addi t1, t1, 1
            bltu t6, t2, 2f
            or t0, t0, t6
            2:  srli t0, t0, 1
            addi a1, a1, -1
            bnez a1, 1b
            """;

    internal sealed record Outcome(string State, ulong BlocksEntered, int BlocksDropped);

    /// <summary>Runs a program with translation on (threshold 1) or off and describes the whole final state.</summary>
    internal static Outcome Run(string body, bool translate, int harts = 1, ulong maxInstructions = 20_000_000,
        Action<HartTestBench>? setup = null, Func<HartTestBench, StopReason>? run = null, bool allowUnaligned = false, bool rawSource = false)
    {
        var t = new HartTestBench(body, harts, allowUnaligned, rawSource);
        t.Machine.TranslationEnabled = translate;
        foreach (var h in t.Machine.Harts)
        {
            h.TranslationThreshold = 1;
        }
        setup?.Invoke(t);
        var reason = run != null ? run(t) : t.Machine.Run(new RunLimits(maxInstructions));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"stop={reason} exit={t.Machine.ExitCode}");
        ulong blocks = 0;
        foreach (var h in t.Machine.Harts)
        {
            blocks += h.BlocksEntered;
            text.AppendLine(CultureInfo.InvariantCulture, $"hart {h.HartId}: pc=0x{h.PC:X} retired={h.InstructionsExecuted} executed={h.ExecutedSlots} priv={h.Privilege} wfi={h.IsWaitingForInterrupt}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  {h.Statistics}");
            foreach (var csr in new[] { 0x300, 0x341, 0x342, 0x343, 0x141, 0x142, 0x143, 0xB00, 0xB02 })
            {
                h.TryReadCsrForDebugger(csr, out var v);
                text.Append(CultureInfo.InvariantCulture, $" csr{csr:X3}={v:X}");
            }
            text.AppendLine();
            for (var r = 0; r < 32; r++)
            {
                text.Append(CultureInfo.InvariantCulture, $" x{r}={h.GetRegister(r):X}");
            }
            text.AppendLine();
        }
        var ram = new byte[16 << 20];
        t.Machine.SystemBus.ReadBytes(HartTestBench.RamBase, ram);
        text.AppendLine("ram sha256=" + Convert.ToHexString(SHA256.HashData(ram)));
        var dropped = t.Machine.Harts.Count > 0 && t.Machine.Harts[0].SharedTranslations is { } cache ? cache.BlocksDropped : 0;
        return new Outcome(text.ToString(), blocks, dropped);
    }

    /// <summary>Asserts both runs end identically and the translated one really ran blocks; returns the translated outcome.</summary>
    internal static Outcome AssertSameBothWays(string body, int harts = 1, ulong maxInstructions = 20_000_000,
        Action<HartTestBench>? setup = null, Func<HartTestBench, StopReason>? run = null, bool allowUnaligned = false, bool rawSource = false)
    {
        var interpreted = Run(body, false, harts, maxInstructions, setup, run, allowUnaligned, rawSource);
        var translated = Run(body, true, harts, maxInstructions, setup, run, allowUnaligned, rawSource);
        Assert.That(interpreted.BlocksEntered, Is.Zero, "translation off must run no block");
        Assert.That(translated.BlocksEntered, Is.GreaterThan(0UL), "translation on must run blocks");
        Assert.That(translated.State, Is.EqualTo(interpreted.State));
        return translated;
    }

    [TestCase(5_000, false)]
    [TestCase(30_000, true)]
    public void ByDefaultOnlyCodeArrivedAtTenThousandTimesIsTranslated(int rounds, bool translated)
    {
        // Lukewarm code (a kernel's boot runs most of its loops a few thousand times) costs more to compile than it
        // gains: Linux's boot to /init took a third more CPU time with a threshold of 1000 (docs/translator.md).
        Assume.That(Environment.GetEnvironmentVariable("EMU_TRANSLATION_THRESHOLD"), Is.Null, "the variable sets another default");
        var t = new HartTestBench($"""
                li t0, {rounds}
            1:  addi t0, t0, -1
                bnez t0, 1b
            """);
        t.Machine.TranslationEnabled = true;
        t.RunToPass(2_000_000);
        Assert.That(t.Hart().BlocksEntered > 0, Is.EqualTo(translated));
    }

    [Test]
    public void AluLoopMatches()
    {
        var o = AssertSameBothWays(AluLoop);
        Assert.That(o.State, Does.StartWith("stop=GuestExit"));
    }

    [TestCase(40UL)]
    [TestCase(12_345UL)]
    [TestCase(30_001UL)]
    [TestCase(50_001UL)]
    public void InstructionLimitStopsAtTheSameInstruction(ulong limit)
    {
        // The limit falls inside a block's loop: the translated run must stop on exactly the same instruction.
        var o = AssertSameBothWays(AluLoop, maxInstructions: limit);
        Assert.That(o.State, Does.StartWith("stop=InstructionLimit"));
    }

    [Test]
    public void SteppingMatches()
    {
        AssertSameBothWays(AluLoop, run: t =>
        {
            for (var i = 0; i < 300; i++)
            {
                t.Hart().Step((ulong)(i % 17) + 1);
            }
            return t.Machine.Run(new RunLimits(4321));
        });
    }

    [TestCase(null, 2_000UL)]
    [TestCase(42, 2_000UL)]
    [TestCase(7, 300UL)]
    public void RacyFourHartProgramMatches(int? seed, ulong quantum)
    {
        AssertSameBothWays(DeterminismTests.RacyProgram, harts: 4, setup: t =>
        {
            t.Machine.QuantumNanoseconds = quantum;
            t.Machine.Seed = seed;
        });
    }

    [Test]
    public void SelfModifyingCodeMatchesAndDropsBlocks()
    {
        // A hot function is rewritten on every round (li a0, 1 <-> li a0, 2), and a store rewrites the
        // instruction right after it in the same straight-line block.
        var o = AssertSameBothWays("""
            .align 2
            .option push
            .option norvc
            li s2, 0
            li s3, 200
            la s4, patch
            la s5, one
            la s6, two
            1:  call patch
            add s2, s2, a0
            andi t0, s3, 1
            beqz t0, 2f
            lw t1, 0(s5)
            j 3f
            2:  lw t1, 0(s6)
            3:  sw t1, 0(s4)
            li s7, 0
            la t0, 4f
            lw t2, 0(s6)
            lw t3, 0(s5)
            sw t2, 0(t0)
            4:  addi a0, zero, 1
            add s7, s7, a0
            sw t3, 0(t0)
            addi s3, s3, -1
            bnez s3, 1b
            .option pop
            j pass
            .align 2
            patch:
            .option push
            .option norvc
            addi a0, zero, 1
            ret
            one:
            addi a0, zero, 1
            two:
            addi a0, zero, 2
            .option pop
            """);
        Assert.That(o.BlocksDropped, Is.GreaterThan(0), "stores into translated code must drop its blocks");
        Assert.That(o.State, Does.Contain(" x18=12C ")); // s2 = 100 * 1 + 100 * 2
        Assert.That(o.State, Does.Contain(" x23=2 "));   // s7: the patched next instruction ran
    }

    [Test]
    public void AnotherHartsStoreDropsThisHartsBlock()
    {
        AssertSameBothWays(CodeCacheTests.CrossHartPatchProgram, harts: 2);
    }

    [Test]
    public void MonitorStyleBusWriteDropsBlocks()
    {
        AssertSameBothWays("""
            1:  call patch
            li t1, 2
            bne a0, t1, 1b
            j pass
            .align 2
            .globl patch
            patch:
            .option push
            .option norvc
            addi a0, zero, 1
            ret
            .option pop
            """, run: t =>
        {
            t.Machine.Run(new RunLimits(5_000));
            // addi a0, zero, 2 written by the host, as the monitor's sysbus WriteDoubleWord would.
            t.Machine.SystemBus.TryWrite(t.Symbol("patch"), 4, 0x00200513);
            return t.Machine.Run(new RunLimits(100_000));
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public void TrapHeavyProgramMatches(bool allowUnaligned)
    {
        // Misaligned and unmapped loads and stores, ecall, illegal instructions and counter reads in a hot
        // loop: traps leave blocks with the interpreter's mepc/mtval, counts include the trapping slots.
        AssertSameBothWays("""
            la s2, buf
            li s3, 300
            li s4, 0
            1:  ld t0, 1(s2)
            add s4, s4, t0
            sw s3, 3(s2)
            li t1, 0x1000
            lw t2, 0(t1)
            sd s3, 8(t1)
            ecall
            .option push
            .option norvc
            .word 0
            .option pop
            csrr t3, mcycle
            csrr t4, minstret
            sub t5, t3, t4
            add s4, s4, t5
            lh t6, 6(s2)
            add s4, s4, t6
            addi t0, s2, 2
            amoadd.w t1, s3, (t0)
            csrr t2, 0x7C0
            lr.d t3, (s2)
            add t3, t3, s3
            sc.d t4, t3, (s2)
            add s4, s4, t4
            amoadd.d t5, s3, (s2)
            add s4, s4, t5
            fence
            addi s3, s3, -1
            bnez s3, 1b
            j pass
            .section .data
            .align 3
            buf: .dword 0x1122334455667788, 0x99AABBCCDDEEFF00
            .section .text
            """, allowUnaligned: allowUnaligned);
    }

    [Test]
    public void SlowPathAccessesRunInPlaceWithoutLeavingTheBlock()
    {
        // Misaligned but allowed accesses take the interpreter's slow path from inside the block: the loop
        // stays in one block call per slice instead of leaving it on every round.
        var o = AssertSameBothWays("""
            la s2, buf
            li s3, 3000
            1:  ld t0, 1(s2)
            addi t0, t0, 1
            sd t0, 1(s2)
            lw t1, 3(s2)
            add s4, s4, t1
            addi s3, s3, -1
            bnez s3, 1b
            j pass
            .section .data
            .align 3
            buf: .dword 0x1122334455667788, 0x99AABBCCDDEEFF00
            .section .text
            """, allowUnaligned: true);
        Assert.That(o.BlocksEntered, Is.LessThan(100UL));
    }

    [Test]
    public void LoopAcrossAPageBoundaryWithAStraddlingInstructionMatches()
    {
        // Blocks stop at the page end; the 4-byte instruction at page offset 0xFFE reaches into the next page
        // and is left to the interpreter. The loop also rewrites that instruction's second half.
        AssertSameBothWays("""
            li s3, 300
            la s7, straddle
            j 2f
            .balign 4096
            .skip 4096 - 10
            .option push
            .option norvc
            2:  addi s4, s4, 1
            .option rvc
            c.addi s5, 1
            c.addi s5, 2
            .option norvc
            straddle:
            addi s6, s6, 1
            addi s3, s3, -1
            lhu t0, 2(s7)
            xori t0, t0, 0x10
            sh t0, 2(s7)
            bnez s3, 2b
            .option pop
            j pass
            """);
    }

    [Test]
    public void InterruptRaisedBetweenRunsIsTakenAtTheSameInstruction()
    {
        // MTIP rises after 10,007 instructions; the handler records mepc and how far the loop got.
        AssertSameBothWays("""
            la t0, handler
            csrw mtvec, t0
            li t0, 0x80
            csrw mie, t0
            csrsi mstatus, 8
            li s2, 0
            1:  addi s2, s2, 1
            slli t1, s2, 2
            xor t2, t1, s2
            j 1b
            .align 2
            handler:
            csrr s3, mepc
            mv s4, s2
            li t0, 0x80
            csrc mie, t0
            j pass
            """, run: t =>
        {
            t.Machine.Run(new RunLimits(10_007));
            t.Hart().OnGPIO(7, true);
            return t.Machine.Run(new RunLimits(100_000));
        });
    }

    [Test]
    public void InterruptRaisedByACsrWriteInsideABlockIsTakenRightAfterIt()
    {
        // M-mode sets its own SSIP through mip in a hot loop: the interrupt must be taken after that very
        // instruction, not at the end of the block.
        AssertSameBothWays("""
            la t0, handler
            csrw mtvec, t0
            li t0, 0x2
            csrw mie, t0
            csrsi mstatus, 8
            li s2, 0
            li s3, 500
            1:  addi s2, s2, 1
            csrsi mip, 2
            addi s2, s2, 3
            slli t1, s2, 1
            addi s3, s3, -1
            bnez s3, 1b
            j pass
            .align 2
            handler:
            csrr s4, mepc
            add s5, s5, s2
            csrci mip, 2
            mret
            """);
    }

    [Test]
    public void PagedSupervisorCodeFallsBackAndMatches()
    {
        // M-mode loops are translated; S-mode with Sv39 on runs in the interpreter; both end identically.
        AssertSameBothWays("""
            li s2, 100
            1:  addi s2, s2, -1
            bnez s2, 1b
            li a1, 0xC7
            """ + "\n" + PagingTests.Setup + "\n" + """
            s_code:
            li s3, 500
            la s5, data_page         # through the identity-mapped gigapage
            2:  ld t2, 0(s5)
            addi t2, t2, 3
            sd t2, 0(s5)
            addi s3, s3, -1
            bnez s3, 2b
            ecall
            """ + "\n" + PagingTests.Tables);;
    }

    [Test]
    public void RandomIntegerProgramsMatch([Values(1, 2, 3, 4, 5, 6)] int seed)
    {
        AssertSameBothWays(RandomProgram(seed));
    }

    /// <summary>Random RV64IM arithmetic, loads, stores and forward branches in a loop, from fixed seeds.</summary>
    internal static string RandomProgram(int seed)
    {
        var random = new Random(seed);
        var pool = new[] { 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 28, 29, 30, 31 };
        string R() => "x" + pool[random.Next(pool.Length)];
        string Rs() => random.Next(20) == 0 ? "x0" : R();
        var rType = new[]
        {
            "add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and", "addw", "subw", "sllw", "srlw", "sraw",
            "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu", "mulw", "divw", "divuw", "remw", "remuw",
        };
        var iType = new[] { "addi", "slti", "sltiu", "xori", "ori", "andi", "addiw" };
        var shifts = new[] { "slli", "srli", "srai" };
        var shiftsW = new[] { "slliw", "srliw", "sraiw" };
        var loads = new[] { ("lb", 1), ("lh", 2), ("lw", 4), ("ld", 8), ("lbu", 1), ("lhu", 2), ("lwu", 4) };
        var stores = new[] { ("sb", 1), ("sh", 2), ("sw", 4), ("sd", 8) };
        var branches = new[] { "beq", "bne", "blt", "bge", "bltu", "bgeu" };
        var text = new StringBuilder();
        text.AppendLine("la gp, rbuf");
        foreach (var r in pool)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"li x{r}, {random.NextInt64(long.MinValue, long.MaxValue)}");
        }
        text.AppendLine("li tp, 4");
        text.AppendLine("10:");
        for (var i = 0; i < 300; i++)
        {
            var kind = random.Next(100);
            if (kind < 40)
            {
                text.AppendLine($"{rType[random.Next(rType.Length)]} {R()}, {Rs()}, {Rs()}");
            }
            else if (kind < 55)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{iType[random.Next(iType.Length)]} {R()}, {Rs()}, {random.Next(-2048, 2048)}");
            }
            else if (kind < 62)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{shifts[random.Next(3)]} {R()}, {Rs()}, {random.Next(64)}");
            }
            else if (kind < 67)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{shiftsW[random.Next(3)]} {R()}, {Rs()}, {random.Next(32)}");
            }
            else if (kind < 70)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{(random.Next(2) == 0 ? "lui" : "auipc")} {R()}, {random.Next(0x100000)}");
            }
            else if (kind < 80)
            {
                var (op, size) = loads[random.Next(loads.Length)];
                text.AppendLine(CultureInfo.InvariantCulture, $"{op} {R()}, {random.Next(2040 / size) * size}(gp)");
            }
            else if (kind < 88)
            {
                var (op, size) = stores[random.Next(stores.Length)];
                text.AppendLine(CultureInfo.InvariantCulture, $"{op} {Rs()}, {random.Next(2040 / size) * size}(gp)");
            }
            else
            {
                text.AppendLine($"{branches[random.Next(branches.Length)]} {Rs()}, {Rs()}, 9f");
                text.AppendLine($"{rType[random.Next(rType.Length)]} {R()}, {Rs()}, {Rs()}");
                text.AppendLine("9:");
            }
        }
        text.AppendLine("addi tp, tp, -1");
        text.AppendLine("bnez tp, 10b");
        text.AppendLine("j pass");
        text.AppendLine(".section .data");
        text.AppendLine(".align 12");
        text.AppendLine("rbuf: .space 2048");
        text.AppendLine(".section .text");
        return text.ToString();
    }

    [Test]
    public void MachineSwitchTurnsTranslationOff()
    {
        var o = Run(AluLoop, translate: false);
        Assert.That(o.BlocksEntered, Is.Zero);
        Assert.That(Run(AluLoop, translate: true).BlocksEntered, Is.GreaterThan(0UL));
    }

    [Test]
    public void EnvironmentVariableTurnsTranslationOffForNewMachines()
    {
        var saved = Environment.GetEnvironmentVariable("EMU_NO_TRANSLATION");
        try
        {
            Environment.SetEnvironmentVariable("EMU_NO_TRANSLATION", "1");
            Assert.That(new Machine().TranslationEnabled, Is.False);
            Environment.SetEnvironmentVariable("EMU_NO_TRANSLATION", null);
            Assert.That(new Machine().TranslationEnabled, Is.True);
        }
        finally
        {
            Environment.SetEnvironmentVariable("EMU_NO_TRANSLATION", saved);
        }
    }

    [Test]
    public void HartSwitchTurnsTranslationOff()
    {
        var o = Run(AluLoop, translate: true, setup: t => t.Hart().TranslationEnabled = false);
        Assert.That(o.BlocksEntered, Is.Zero);
    }

    [Test]
    public void DefaultThresholdTranslatesOnlyHotCode()
    {
        var t = new HartTestBench(AluLoop);
        Assert.That(t.Machine.TranslationEnabled, Is.EqualTo(Environment.GetEnvironmentVariable("EMU_NO_TRANSLATION") != "1"));
        t.Machine.TranslationEnabled = true;
        t.Hart().TranslationThreshold = 50;
        t.RunToPass();
        // The loop head turns hot after 50 rounds, then the whole rest of the loop runs in one block call per slice.
        Assert.That(t.Hart().BlocksEntered, Is.GreaterThan(0UL).And.LessThan(1_000UL));
        Assert.That(t.Hart().SharedTranslations!.BlocksTranslated, Is.LessThan(10));
    }

    [Test]
    public void BreakpointsAndWatchpointsFallBackToTheInterpreter()
    {
        var withBreakpoint = Run(AluLoop, translate: true, setup: t => t.Hart().AddBreakpoint(0x7000_0000));
        Assert.That(withBreakpoint.BlocksEntered, Is.Zero);
        var withWatchpoint = Run(AluLoop, translate: true, setup: t => t.Hart().AddWatchpoint(0x7000_0000, 8, WatchpointKind.Write));
        Assert.That(withWatchpoint.BlocksEntered, Is.Zero);
    }
}
