using System.Diagnostics;
using System.Security.Cryptography;
using Emulator.Terminals;
using NUnit.Framework;

namespace Emulator.Tests.Cli;

/// <summary>
/// Record and replay (docs/robot.md, Replay): an interactive session of the guest shell, a failing Robot test
/// and a batch run replay to the same UART output byte for byte and the same exit code, and a replay refuses,
/// naming the file, when a file the run was built from has changed; `emu test --trace` writes each test's timeline.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ReplayTests
{
    private string dir = null!;
    private TmuxSession? tmux;

    private static string Emu => Path.Combine(TestContext.CurrentContext.TestDirectory, "emu");

    private static string GuestElf => Path.Combine(EchoGuest.RepositoryRoot, "guest", "build", "lwkt.elf");

    [SetUp]
    public void SetUp()
    {
        dir = Path.Combine(Path.GetTempPath(), "emu-replay-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
    }

    [TearDown]
    public void TearDown()
    {
        tmux?.Dispose();
        tmux = null;
        Directory.Delete(dir, true);
    }

    [Test]
    public void ARecordedInteractiveShellSessionReplaysToIdenticalOutput()
    {
        RequireGuest();
        if (!TmuxSession.Available)
        {
            Assert.Ignore("tmux is not installed");
        }
        tmux = new TmuxSession("emu-replay-");
        var board = Path.Combine(EchoGuest.RepositoryRoot, "board.resc");
        var recording = Path.Combine(dir, "session.replay");
        File.WriteAllText(Path.Combine(dir, "run.sh"), $"""
            cd '{dir}'
            '{Emu}' '{board}' --hide-log --record '{recording}' -e '$session = "{tmux.Name}"'
            echo "EXIT=$?" > exit.tmp && mv exit.tmp exit.txt
            sleep 60
            """);
        tmux.Start($"bash '{Path.Combine(dir, "run.sh")}'", 120, 60);
        tmux.WaitFor("lwkt>", 1, 60);
        // Typed by hand at host-chosen moments: each command waits for the previous prompt.
        var prompts = 1;
        foreach (var command in new[] { "help", "ps", "tokens" })
        {
            tmux.Type(command);
            tmux.Keys("Enter");
            tmux.WaitFor("lwkt>", ++prompts, 60);
        }
        tmux.Keys("C-a", "x");
        WaitForFile(Path.Combine(dir, "exit.txt"));
        Assert.That(File.ReadAllText(Path.Combine(dir, "exit.txt")).Trim(), Is.EqualTo("EXIT=0"));

        var recorded = ReplayRecording.Load(recording);
        Assert.That(recorded.Kind, Is.EqualTo("session"));
        // How the typed keys were split into deliveries depends on the host; their sequence does not.
        Assert.That(string.Concat(recorded.Inputs.Select(i => i.Text)).Replace("\r\n", "\n").Replace('\r', '\n'), Is.EqualTo("help\nps\ntokens\n"));
        var (code, stdout, stderr) = RunEmu("replay", recording);
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stderr, Does.Contain("replay: identical output"));
        Assert.That(Hash(stdout), Is.EqualTo(recorded.OutputSha256));
        Assert.That(System.Text.Encoding.Latin1.GetString(stdout), Does.Contain("lwkt> tokens"));
    }

    [Test]
    public void ADeliberatelyFailingTestsReplayFailsTheSameWay()
    {
        RequireGuest();
        var suite = Path.Combine(EchoGuest.RepositoryRoot, "tests", "robot", "replay", "deliberate-failure.robot");
        var results = Path.Combine(dir, "results");
        var (testCode, testOut, _) = RunEmu("test", suite, "-r", results);
        Assert.That(testCode, Is.EqualTo(1), System.Text.Encoding.UTF8.GetString(testOut));
        var files = Directory.GetFiles(results, "*.replay");
        Assert.That(files, Has.Length.EqualTo(1), "one replay file for the one failing test, next to junit.xml");
        Assert.That(File.Exists(Path.Combine(results, "junit.xml")));
        var recorded = ReplayRecording.Load(files[0]);
        Assert.That(recorded.TestMessage, Does.Contain("not found on UART"));

        var (code, stdout, stderr) = RunEmu("replay", files[0]);
        Assert.That(code, Is.EqualTo(1), stderr);
        Assert.That(stderr, Does.Contain(": FAIL: ").And.Contain("line containing 'this line never appears' not found on UART"));
        Assert.That(stderr, Does.Contain("replay: identical output"));
        Assert.That(Hash(stdout), Is.EqualTo(recorded.OutputSha256));
    }

    [Test]
    public void TestWithTraceWritesEachTestsTimeline()
    {
        RequireGuest();
        var suite = Path.Combine(EchoGuest.RepositoryRoot, "tests", "robot", "shell.robot");
        var traces = Path.Combine(dir, "traces");
        var (code, stdout, stderr) = RunEmu("test", suite, "-f", "Boots To Prompt", "-r", Path.Combine(dir, "results"), "--trace", traces);
        var output = System.Text.Encoding.UTF8.GetString(stdout);
        Assert.That(code, Is.EqualTo(0), output + stderr);
        var file = Path.Combine(traces, "Shell.Boots_To_Prompt.json");
        Assert.That(output, Does.Contain($"trace: wrote ").And.Contain(file));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
        var events = json.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        // Booting the 4-hart board: the secondary harts idle in WFI while hart 0 runs the shell (a span still
        // open when the test ends is closed then). Whether a timer tick lands before the prompt depends on
        // how far the machine ran while the tester looked, so interrupts are not asserted.
        static string? Category(System.Text.Json.JsonElement e) => e.TryGetProperty("cat", out var c) ? c.GetString() : null;
        var idleHarts = events.Where(e => Category(e) == "wfi").Select(e => e.GetProperty("tid").GetInt32()).Distinct();
        Assert.That(idleHarts, Is.SupersetOf(new[] { 1, 2, 3 }));
        Assert.That(output, Does.Contain($"trace: wrote {events.Count} events to {file}"), "the summary counts the file's events");
    }

    [Test]
    public void ARunReplaysAndAChangedFileIsNamed()
    {
        var elf = Path.Combine(dir, "echo.elf");
        File.Copy(EchoGuest.Build(), elf);
        var board = Path.Combine(EchoGuest.RepositoryRoot, "board.repl");
        var recording = Path.Combine(dir, "run.replay");
        var (recordCode, recordOut, recordErr) = RunEmu("run", elf, "--board", board, "--uart-input", "hello\\nq", "--timeout", "5", "--record", recording);
        Assert.That(recordCode, Is.EqualTo(0), recordErr);
        Assert.That(System.Text.Encoding.Latin1.GetString(recordOut), Does.Contain("hello"));

        var (code, stdout, stderr) = RunEmu("replay", recording);
        Assert.That(code, Is.EqualTo(recordCode));
        Assert.That(stdout, Is.EqualTo(recordOut));
        Assert.That(stderr, Does.Contain("replay: identical output"));

        File.AppendAllText(elf, "x");
        var (changedCode, _, changedErr) = RunEmu("replay", recording);
        Assert.That(changedCode, Is.EqualTo(2));
        Assert.That(changedErr, Does.Contain($"{elf}: no longer matches the recording"));
    }

    private static void RequireGuest()
    {
        if (!File.Exists(GuestElf))
        {
            Assert.Ignore("guest/build/lwkt.elf is not built (make -C guest)");
        }
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private (int Code, byte[] Stdout, string Stderr) RunEmu(params string[] args)
    {
        var psi = new ProcessStartInfo(Emu) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(stdout);
        if (!p.WaitForExit(120_000))
        {
            p.Kill(true);
            Assert.Fail($"emu {string.Join(' ', args)} did not finish within 120 s");
        }
        copy.Wait();
        return (p.ExitCode, stdout.ToArray(), stderr.Result);
    }

    private static void WaitForFile(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !File.Exists(path))
        {
            Thread.Sleep(100);
        }
        Assert.That(File.Exists(path), $"{path} did not appear within 30 s");
    }
}
