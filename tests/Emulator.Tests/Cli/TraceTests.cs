using System.Text.Json;
using Emulator.Cli;
using Emulator.Tests.PlatformDescription;
using NUnit.Framework;

namespace Emulator.Tests.Cli;

/// <summary>
/// `emu run --trace FILE.json`: the guest kernel's token ping-pong on two harts (`bench token`: token.foreign
/// takes the token from the other hart by IPI every time) leaves a Chrome Trace Event file whose IPI flow
/// arrows go both ways between the harts' tracks, with WFI idle spans; the limit cuts the file with a marker.
/// </summary>
[TestFixture]
public class TraceTests
{
    private string dir = null!;

    [SetUp]
    public void SetUp()
    {
        dir = Path.Combine(Path.GetTempPath(), "emu-trace-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(dir, true);

    private static (int Code, string Err) Run(params string[] extra)
    {
        var elf = RepositoryPaths.File("guest/build/lwkt.elf");
        if (!File.Exists(elf))
        {
            Assert.Ignore("guest/build/lwkt.elf is not built (make -C guest)");
        }
        var args = new List<string> { elf, "--board", RepositoryPaths.File("platform/boards/board-2.repl"),
            "--uart-input", "bench token\\npoweroff\\n", "--timeout", "60" };
        args.AddRange(extra);
        var stderr = new StringWriter();
        var code = RunCommand.Run(args.ToArray(), new StringWriter(), stderr);
        return (code, stderr.ToString());
    }

    [Test]
    public void TokenPingPongTraceHoldsIpiFlowsBothWaysAndIdleSpans()
    {
        var path = Path.Combine(dir, "pingpong.json");
        var (code, err) = Run("--trace", path);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(err, Does.Contain($"trace: wrote").And.Contain(path));

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        string Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : "";
        var starts = events.Where(e => Str(e, "ph") == "s" && Str(e, "cat") == "ipi").ToDictionary(e => Str(e, "id"), e => Str(e, "tid"));
        var finishes = events.Where(e => Str(e, "ph") == "f" && Str(e, "cat") == "ipi").ToList();
        Assert.That(finishes, Is.Not.Empty, "IPIs are drawn as flows");
        var directions = new HashSet<string>();
        foreach (var f in finishes)
        {
            Assert.That(starts.TryGetValue(Str(f, "id"), out var from), Is.True, "every arrow has a start");
            Assert.That(from, Is.Not.EqualTo(Str(f, "tid")), "an IPI arrow goes from one hart to another");
            directions.Add($"{from}->{Str(f, "tid")}");
        }
        Assert.That(directions, Is.EquivalentTo(new[] { "0->1", "1->0" }), "the token goes back and forth");
        Assert.That(events.Count(e => Str(e, "cat") == "wfi" && Str(e, "ph") == "X"), Is.GreaterThan(0), "WFI idle spans");
        Assert.That(events.Any(e => Str(e, "ph") == "M" && Str(e, "name") == "thread_name"), Is.True, "named hart tracks");

        // What the guest announces through the trace device (platform/boards/trace.repl, loaded by --trace).
        var threads = events.Where(e => Str(e, "cat") == "thread" && Str(e, "ph") == "X").ToList();
        Assert.That(threads.Select(e => Str(e, "tid")).Distinct(), Is.EquivalentTo(new[] { "0", "1" }), "thread spans on both harts");
        Assert.That(threads.Any(e => Str(e, "name").StartsWith("idle", StringComparison.Ordinal)), Is.True, "the idle threads by name");
        var tokenStarts = events.Where(e => Str(e, "ph") == "s" && Str(e, "cat") == "token").ToDictionary(e => Str(e, "id"), e => Str(e, "tid"));
        var tokenDirections = events.Where(e => Str(e, "ph") == "f" && Str(e, "cat") == "token")
            .Select(e => $"{tokenStarts[Str(e, "id")]}->{Str(e, "tid")}").ToHashSet();
        Assert.That(tokenDirections, Is.EquivalentTo(new[] { "0->1", "1->0" }), "token hand-overs drawn both ways");
        Assert.That(events.Any(e => Str(e, "name") == "token request"), Is.True);
    }

    [Test]
    public void TheLimitStopsRecordingWithAMarkerAndAMessage()
    {
        var path = Path.Combine(dir, "limited.json");
        var (code, err) = Run("--trace", path, "--trace-limit", "500");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(err, Does.Contain("limit of 500 events"));
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        var recorded = events.Count(e => e.GetProperty("ph").GetString() != "M");
        Assert.That(recorded, Is.LessThanOrEqualTo(500));
        Assert.That(events.Any(e => e.GetProperty("name").GetString()!.Contains("trace limit of 500 events reached")), Is.True);
    }

    [Test]
    public void WithoutTraceNothingIsRecorded()
    {
        var machine = new Machine();
        Assert.That(machine.Trace, Is.Null);
        var e = Assert.Throws<Emulator.Core.EmulationException>(() => machine.StopTrace())!;
        Assert.That(e.Message, Does.Contain("no trace is being recorded"));
    }
}
