using Emulator.Loaders;
using Emulator.PlatformDescription;
using Emulator.Tests.PlatformDescription;
using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>
/// Testers, the monitor and the Remote server read the virtual clock from their own threads while the
/// harts run on the emulation thread. What they read must never go backwards (a wait computing
/// `now - start` on ulong would wrap and expire at once) and never run ahead of the harts.
/// </summary>
[TestFixture]
public class ClockMonotonicTests
{
    // Every hart counts forever; the run ends at its virtual-time limit.
    private const string Spin = """
            .section .text.start
            .globl _start
        _start:
        1:  addi t0, t0, 1
            j 1b
        """;

    [Test]
    public void TheClockReadFromAnotherThreadNeverDecreasesWhile16HartsRun()
    {
        // Interpreted, a hart's progress into its slice shows in the clock after every instruction; translated
        // blocks publish it less often, which made the old backwards reads rarer but not impossible.
        var machine = new Machine { TranslationEnabled = false };
        PlatformLoader.Load(machine, RepositoryPaths.File("platform/boards/board-16.repl"));
        ElfLoader.Load(machine, GuestToolchain.Build(Spin));
        Assert.That(machine.Harts, Has.Count.EqualTo(16));
        const ulong limit = 10_000_000;
        var runner = new Thread(() => machine.Run(new RunLimits(0, limit))) { IsBackground = true, Name = "emulation" };
        ulong reads = 0, decreases = 0, previous = 0, worst = 0;
        var ahead = false;
        runner.Start();
        while (runner.IsAlive)
        {
            var now = machine.Clock.Now;
            reads++;
            if (now < previous)
            {
                decreases++;
                worst = Math.Max(worst, previous - now);
            }
            ahead |= now > limit;
            previous = now;
        }
        runner.Join();
        Assert.That(machine.LastStopReason, Is.EqualTo(StopReason.TimeLimit));
        Assert.That(reads, Is.GreaterThan(1000UL), "the reader should have sampled the clock many times during the run");
        Assert.That(ahead, Is.False, "a read ran ahead of the run's end");
        Assert.That(decreases, Is.Zero, $"{decreases} of {reads} reads went backwards (by up to {worst} ns)");
        Assert.That(machine.Clock.Now, Is.EqualTo(limit));
    }
}
