using System.Text;
using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>
/// When a head turns hot (docs/translator.md, "Heat"): every arrival counts one, and a run of straight-line code
/// interpreted from it counts one more per RiscV64.RunHeatUnit instructions, so an unrolled body that is called a few
/// hundred times (Linux's BLAKE2s self-test) is translated as soon as a short loop of the same cost would be. Code that
/// the block cap cuts into several blocks is translated together with its head. Blocks never change what the guest
/// sees: each program also runs interpreted and must end in the same state.
/// </summary>
[TestFixture]
public class TranslationHeatTests
{
    private const int Threshold = 100;

    // A loop whose body is 300 straight-line instructions: three blocks of at most 128 (the cap) per round.
    private static string LongBodyLoop(int rounds)
    {
        var body = new StringBuilder();
        body.AppendLine($"li a1, {rounds}");
        body.AppendLine("1:");
        for (var i = 0; i < 299; i++)
        {
            body.AppendLine(i % 3 == 0 ? "addi t1, t1, 3" : i % 3 == 1 ? "xor t2, t2, t1" : "add t3, t3, t2");
        }
        body.AppendLine("addi a1, a1, -1");
        body.AppendLine("bnez a1, 1b");
        return body.ToString();
    }

    private static (TranslationTests.Outcome Outcome, int Translated) RunWithThreshold(string body)
    {
        var interpreted = TranslationTests.Run(body, translate: false);
        var translated = 0;
        var outcome = TranslationTests.Run(body, translate: true, setup: t => t.Hart().TranslationThreshold = Threshold,
            run: t =>
            {
                var reason = t.Machine.Run(new RunLimits(20_000_000));
                translated = t.Hart().SharedTranslations?.BlocksTranslated ?? 0;
                return reason;
            });
        Assert.That(outcome.State, Is.EqualTo(interpreted.State));
        return (outcome, translated);
    }

    [Test]
    public void LongStraightLineBodyTurnsHotByItsLength()
    {
        // 300 instructions a round weigh about 19 arrivals: the head is hot within ten rounds, not after a hundred.
        var (o, translated) = RunWithThreshold(LongBodyLoop(12));
        Assert.That(o.State, Does.StartWith("stop=GuestExit"));
        Assert.That(o.BlocksEntered, Is.GreaterThanOrEqualTo(3UL * 4), "the last rounds run as blocks");
        Assert.That(translated, Is.EqualTo(3), "head and both continuations");
    }

    [Test]
    public void ContinuationsAreTranslatedWithTheirHead()
    {
        // Once the head is hot, the two blocks that continue its straight-line code are translated on their next
        // arrival: every later round enters exactly three blocks.
        var (ten, _) = RunWithThreshold(LongBodyLoop(10));
        var (eleven, _) = RunWithThreshold(LongBodyLoop(11));
        Assert.That(eleven.BlocksEntered - ten.BlocksEntered, Is.EqualTo(3UL));
    }

    [Test]
    public void ShortLoopStillNeedsEveryArrival()
    {
        // Four instructions a round weigh nothing extra: 90 rounds stay below the threshold of 100.
        var (o, translated) = RunWithThreshold("""
                li a1, 90
            1:  addi t1, t1, 3
                xor t2, t2, t1
                addi a1, a1, -1
                bnez a1, 1b
            """);
        Assert.That(o.BlocksEntered, Is.Zero);
        Assert.That(translated, Is.Zero);
    }

    [Test]
    public void BackgroundCompilerGetsTheContinuationsWithTheirHead()
    {
        // In steps of one round, waiting for the compiler after each (so every run installs blocks at the same head).
        StopReason Stepped(HartTestBench t)
        {
            for (var i = 0; i < 1_000; i++)
            {
                var reason = t.Machine.Run(new RunLimits(300));
                if (reason != StopReason.InstructionLimit)
                {
                    return reason;
                }
                t.Hart().SharedTranslations?.WaitForCompiler();
            }
            return StopReason.InstructionLimit;
        }
        var body = LongBodyLoop(12);
        var interpreted = TranslationTests.Run(body, translate: false, run: Stepped);
        var translated = 0;
        var o = TranslationTests.Run(body, translate: true,
            setup: t =>
            {
                t.Machine.BackgroundTranslation = true;
                t.Hart().TranslationThreshold = Threshold;
            },
            run: t =>
            {
                var reason = Stepped(t);
                translated = t.Hart().SharedTranslations?.BlocksTranslated ?? 0;
                return reason;
            });
        Assert.That(o.State, Is.EqualTo(interpreted.State));
        Assert.That(translated, Is.EqualTo(3), "the head's two continuations are compiled with it");
    }
}
