using Emulator.Peripherals.CPU;
using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>
/// Hot blocks compiled on the background thread (Machine.BackgroundTranslation, docs/translator.md) change nothing the
/// guest sees. The runs here go in steps of a few thousand instructions and wait for the compiler between steps, so
/// the moment each block appears (the next block head after the step) is the same on every run.
/// </summary>
[TestFixture]
public class BackgroundTranslationTests
{
    private const string AluLoop = TranslationTests.AluLoop + "\nj pass";

    // A loop whose body the host rewrites (patch_me: +1 becomes +2) while its block is compiled but not installed yet.
    private const string PatchedLoop = """
            .option push
            .option norvc
            li t0, 0
            li a1, 3000
            1:
            .globl patch_me
            patch_me:
            addi t0, t0, 1
            xor t1, t0, a1
            addi a1, a1, -1
            bnez a1, 1b
            .option pop
            j pass
            """;

    // A loop that rewrites an instruction of its own body through a store every 500 rounds.
    private const string SelfModifyingLoop = """
            .option push
            .option norvc
            li t0, 0
            li a1, 3000
            la t2, 3f
            lw t3, 0(t2)
            li t4, 0x00128293
            1:
            3:  addi t0, t0, 7
            addi a1, a1, -1
            andi t5, a1, 511
            bnez t5, 2f
            sw t4, 0(t2)
            fence.i
            xor t4, t4, t3
            xor t3, t4, t3
            xor t4, t4, t3
            2:  bnez a1, 1b
            .option pop
            j pass
            """;

    /// <summary>Runs in steps of <paramref name="step"/> instructions, waiting for the compiler after each.</summary>
    private static Func<HartTestBench, StopReason> Stepped(ulong step, Action<HartTestBench, int>? between = null)
    {
        return t =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                var reason = t.Machine.Run(new RunLimits(step));
                if (reason != StopReason.InstructionLimit)
                {
                    return reason;
                }
                t.Hart().SharedTranslations?.WaitForCompiler();
                between?.Invoke(t, i);
            }
            return StopReason.InstructionLimit;
        };
    }

    private static void Background(HartTestBench t) => t.Machine.BackgroundTranslation = true;

    [TestCase(1_000UL)]
    [TestCase(3_777UL)]
    public void AluLoopMatchesTheInterpreter(ulong step)
    {
        var o = TranslationTests.AssertSameBothWays(AluLoop, setup: Background, run: Stepped(step));
        Assert.That(o.State, Does.StartWith("stop=GuestExit"));
    }

    [Test]
    public void SelfModifyingLoopMatchesTheInterpreter()
    {
        var o = TranslationTests.AssertSameBothWays(SelfModifyingLoop, setup: Background, run: Stepped(2_000));
        Assert.That(o.State, Does.StartWith("stop=GuestExit"));
    }

    [Test]
    public void BlocksAreUsedOnceCompiled()
    {
        var o = TranslationTests.Run(AluLoop, true, setup: Background, run: Stepped(1_000));
        // 5000 rounds of 11 instructions: interpreted all the way, the loop would be entered as a block never.
        Assert.That(o.BlocksEntered, Is.GreaterThan(0UL).And.LessThan(200UL));
    }

    /// <summary>
    /// The loop's block is compiled from the old bytes; the host rewrites one of its instructions before the hart
    /// picks the block up. Installing it would run the old instruction (t0 would grow by 1, not 2, per round).
    /// </summary>
    [Test]
    public void BlockCompiledFromBytesChangedSinceIsNotInstalled()
    {
        var patched = false;
        void Patch(HartTestBench t, int step)
        {
            if (step == 0)
            {
                // addi t0, t0, 2
                t.Machine.SystemBus.WriteDoubleWord(t.Symbol("patch_me"), 0x00228293);
                patched = true;
            }
        }
        var interpreted = TranslationTests.Run(PatchedLoop, false, setup: Background, run: Stepped(500, Patch));
        var translated = TranslationTests.Run(PatchedLoop, true, setup: Background, run: Stepped(500, Patch));
        Assert.That(patched, Is.True);
        Assert.That(translated.State, Is.EqualTo(interpreted.State));
        Assert.That(translated.BlocksEntered, Is.GreaterThan(0UL), "the new code must still be translated and run as a block");
    }

    [Test]
    public void PendingBlockIsNotQueuedTwice()
    {
        var t = new HartTestBench(AluLoop);
        t.Machine.BackgroundTranslation = true;
        t.Hart().TranslationThreshold = 1;
        // Without waiting: the loop head arrives thousands of times while its block may still be compiling.
        t.Machine.Run(new RunLimits(20_000));
        t.Hart().SharedTranslations!.WaitForCompiler();
        t.Machine.Run(new RunLimits(1_000));
        var cache = t.Hart().SharedTranslations!;
        Assert.That(cache.BlocksTranslated, Is.LessThan(10), "each head is compiled once");
    }
}
