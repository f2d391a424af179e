using System.Globalization;
using System.Text.RegularExpressions;
using Emulator.Cli;
using Emulator.Tests.PlatformDescription;
using NUnit.Framework;

namespace Emulator.Tests.Cli;

/// <summary>
/// `emu run --coherence`: the guest kernel's `bench token` on two harts reports cache-line transfers per
/// operation (xfer_per_op, from event 17) that follow the design: a token used by its owner moves no line,
/// a spinlock handed between two harts moves at least its line per acquisition. Without the option the guest
/// reads zero transfers and retires the same instructions.
/// </summary>
[TestFixture]
public class CoherenceGuestTests
{
    private static string RunBench(string board, string command, bool coherence)
    {
        var elf = RepositoryPaths.File("guest/build/lwkt.elf");
        if (!File.Exists(elf))
        {
            Assert.Ignore("guest/build/lwkt.elf is not built (make -C guest)");
        }
        var args = new List<string> { elf, "--board", RepositoryPaths.File(board),
            "--uart-input", $"{command}\\npoweroff\\n", "--timeout", "60" };
        if (coherence)
        {
            args.Add("--coherence");
        }
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = RunCommand.Run(args.ToArray(), stdout, stderr);
        Assert.That(code, Is.EqualTo(0), stderr.ToString());
        return stdout.ToString();
    }

    private static Dictionary<string, (int Insns, double Xfer)> BenchToken(bool coherence)
    {
        var output = RunBench("platform/boards/board-2.repl", "bench token", coherence);
        var rows = new Dictionary<string, (int, double)>();
        foreach (Match m in Regex.Matches(output, @"^BENCH (\S+) impl=(\S+) .*insns_per_op=(\d+) .*xfer_per_op=([0-9.]+)", RegexOptions.Multiline))
        {
            rows[$"{m.Groups[1].Value} {m.Groups[2].Value}"] = (int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture),
                double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture));
        }
        Assert.That(rows, Has.Count.GreaterThanOrEqualTo(18), output);
        return rows;
    }

    [Test]
    public void GuestBenchReportsLineTransfersOnlyWithTheModelAndTheSameInstructions()
    {
        var on = BenchToken(coherence: true);
        var off = BenchToken(coherence: false);
        Assert.That(on["token.local lwkt"].Xfer, Is.Zero, "the owner uses its token without moving a line");
        Assert.That(on["token.local spinlock"].Xfer, Is.Zero, "an uncontended lock stays in its hart's cache");
        // The lock was last written by the other hart: the test-and-test-and-set acquire's load moves the line
        // (now shared), and its AMO's upgrade takes it from the other hart's cache: two transfers, exactly. The
        // benchmark keeps the lock, the hand-shake flags and its accumulators in lines of their own; when the
        // flag shared the lock's line, reading it before the measurement moved the lock too and this read 1.00.
        Assert.That(on["token.foreign spinlock"].Xfer, Is.EqualTo(2.0), "a test-and-test-and-set acquire of a line the other hart wrote");
        Assert.That(on["token.foreign spintoken"].Xfer, Is.EqualTo(2.0), "the spin token's CAS loop reads, then writes, the other hart's line");
        Assert.That(on["token.foreign lwkt"].Xfer, Is.GreaterThan(on["token.foreign spinlock"].Xfer), "a token request moves IPI queue and thread lines");
        foreach (var (name, row) in off)
        {
            Assert.That(row.Xfer, Is.Zero, name);
            Assert.That(on[name].Insns, Is.EqualTo(row.Insns), $"{name}: the model does not change what the guest executes");
        }
    }

    // Every BENCH line without its xfer_per_op field, in order.
    private static List<string> BenchLinesWithoutTransfers(string output) =>
        Regex.Matches(output, @"^BENCH .*$", RegexOptions.Multiline)
            .Select(m => Regex.Replace(m.Value.TrimEnd(), @" xfer_per_op=[0-9.]+", ""))
            .ToList();

    /// <summary>
    /// `bench slab` on four harts: the spinlock baseline's slab.parallel makes the harts contend, so its spin
    /// count depends on exactly where the emulator's slices fall. The guest prints its figures only when the
    /// command ends (guest/tests/bench_report.c) and picks the slowest hart's counts without branching on them;
    /// before that, printing and comparing the transfer counts (zero without the model) moved the slices of the
    /// next benchmark, and slab.parallel (spinlock) retired 334 instructions per operation without the model
    /// and 295 with it.
    /// </summary>
    [Test]
    public void ContendedBenchmarksRetireTheSameInstructionsWithAndWithoutTheModel()
    {
        var off = BenchLinesWithoutTransfers(RunBench("platform/boards/board-4.repl", "bench slab", coherence: false));
        var on = BenchLinesWithoutTransfers(RunBench("platform/boards/board-4.repl", "bench slab", coherence: true));
        Assert.That(off, Has.Some.StartsWith("BENCH slab.parallel impl=spinlock harts=4 "));
        Assert.That(on, Is.EqualTo(off));
    }
}
