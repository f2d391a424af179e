using Emulator.Cli;
using Emulator.Core;
using Emulator.Loaders;
using Emulator.PlatformDescription;
using Emulator.Scheduling;
using Emulator.Tests.Cpu;
using Emulator.Tests.PlatformDescription;
using NUnit.Framework;

namespace Emulator.Tests.Exploration;

/// <summary>
/// Fine-grained schedules (random preemption, PCT) find a lost update that round-robin slices never show,
/// replay it from its seed, and keep WFI, IPIs and virtual time working.
/// </summary>
[TestFixture]
public class ScheduleExplorationTests
{
    // Two harts each add 1 to a shared counter 50 times with a plain load/add/store: a lost update needs a
    // switch inside the three-instruction window between `lw` and `sw`. Each hart's loop is ~200
    // instructions, far less than a slice (10,000), so slices run the loops one after the other.
    private const string LostUpdate = """
            csrr a0, mhartid
            la s0, counter
            la s2, done
            li t0, 50
        1:  lw t1, 0(s0)
            addi t1, t1, 1
            sw t1, 0(s0)
            addi t0, t0, -1
            bnez t0, 1b
            li t4, 1
            amoadd.d zero, t4, (s2)
            bnez a0, 3f
        2:  ld t5, 0(s2)
            li t6, 2
            bne t5, t6, 2b
            lw a1, 0(s0)
            j pass
        3:  j 3b
            .section .data
            .align 12
        counter: .dword 0
        done: .dword 0
            .section .text
        """;

    private static ulong FinalCounter(SchedulePolicy schedule, int? seed)
    {
        var t = new HartTestBench(LostUpdate, harts: 2);
        t.Machine.Schedule = schedule;
        t.Machine.Seed = seed;
        t.RunToPass(5_000_000);
        return t.X(11);
    }

    [Test]
    public void SlicesNeverLoseAnUpdate()
    {
        foreach (var seed in new int?[] { null, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })
        {
            Assert.That(FinalCounter(SchedulePolicy.Slices, seed), Is.EqualTo(100), $"seed {seed}");
        }
    }

    [TestCase("random")]
    [TestCase("pct:2:400")]
    [TestCase("pct:3:400")]
    public void AFineGrainedScheduleFindsTheLostUpdateAndReplaysIt(string schedule)
    {
        var policy = SchedulePolicy.Parse(schedule);
        int? found = null;
        ulong counter = 0;
        for (var seed = 1; seed <= 30 && found == null; seed++)
        {
            counter = FinalCounter(policy, seed);
            if (counter != 100)
            {
                found = seed;
            }
        }
        Assert.That(found, Is.Not.Null, $"{schedule} found no lost update in 30 seeds");
        Assert.That(counter, Is.LessThan(100));
        Assert.That(FinalCounter(policy, found), Is.EqualTo(counter), $"seed {found} replays the same lost update");
    }

    // 200 IPI round trips between two harts that sleep in WFI: a hart in WFI is not runnable, an IPI makes it
    // runnable at once, and virtual time follows the instructions as under slices.
    private static readonly string PingPong = Cpu.SliceSchedulingTests.PingPongProgram(200);

    [TestCase("random", 3)]
    [TestCase("pct:3", 5)]
    [TestCase("random:1", 7)]
    public void WfiAndIpisWorkUnderFineGrainedSchedules(string schedule, int seed)
    {
        (ulong time, ulong instructions) Run()
        {
            var machine = new Machine { Schedule = SchedulePolicy.Parse(schedule), Seed = seed };
            PlatformLoader.Load(machine, RepositoryPaths.File("platform/boards/board-2.repl"));
            ElfLoader.Load(machine, GuestToolchain.Build(PingPong));
            var reason = machine.Run(new RunLimits(2_000_000, 1_000_000_000));
            Assert.That(reason, Is.EqualTo(StopReason.GuestExit), $"{schedule} seed {seed}");
            return (machine.Clock.Now, machine.TotalInstructions);
        }
        var first = Run();
        Assert.That(first.time, Is.LessThan(10 * 100_000UL), "woken harts run within the slice, as under slices");
        Assert.That(Run(), Is.EqualTo(first), "the same seed replays the same run");
    }

    [TestCase("slices", "slices")]
    [TestCase("random", "random")]
    [TestCase("RANDOM:3", "random:3")]
    [TestCase("pct:3", "pct:3")]
    [TestCase("pct:2:5000", "pct:2:5000")]
    public void SchedulesParseAndPrint(string text, string printed) =>
        Assert.That(SchedulePolicy.Parse(text).ToString(), Is.EqualTo(printed));

    [TestCase("pct")]
    [TestCase("pct:0")]
    [TestCase("pct:x")]
    [TestCase("fifo")]
    [TestCase("random:1:2")]
    public void BadSchedulesAreRejectedWithTheExpectedForms(string text)
    {
        var e = Assert.Throws<EmulationException>(() => SchedulePolicy.Parse(text));
        Assert.That(e!.Message, Does.Contain(text));
    }

    [Test]
    public void AFailingRunPrintsItsSeedAndTheReplayCommand()
    {
        var line = RunCommand.ReplayLine(new[] { "a.elf", "--schedule", "pct:3", "--uart-input", "test all\\n" }, null);
        Assert.That(line, Is.EqualTo("emu: failed with seed 0; replay: emu run a.elf --schedule pct:3 --uart-input 'test all\\n' --seed 0"));
    }
}
