using System.Text;
using Emulator.Cli;
using NUnit.Framework;

namespace Emulator.Tests.Cli;

/// <summary>`emu board.resc` with the real LWKT guest (when guest/build/lwkt.elf has been built).</summary>
[TestFixture]
public class BoardScriptTests
{
    /// <summary>
    /// Runs `emu board.resc --paused`, types <paramref name="command"/> into the guest's shell and runs one
    /// virtual second: paused and driven by virtual time, so the run is deterministic and bounded.
    /// Returns emu's exit code and what the guest printed.
    /// </summary>
    private static (int ExitCode, string Output) RunBoardScript(string command)
    {
        var root = EchoGuest.RepositoryRoot;
        if (!File.Exists(Path.Combine(root, "guest", "build", "lwkt.elf")))
        {
            Assert.Ignore("guest/build/lwkt.elf is not built (make -C guest)");
        }
        var options = HostOptions.Parse(new[]
        {
            Path.Combine(root, "board.resc"), "--paused", "--hide-log",
            "-e", $"uart0 WriteLine \"{command}\"",
            "-e", "emulation RunFor \"00:00:01\"",
            "-e", "quit",
        });
        var output = new MemoryStream();
        var task = Task.Run(() => HostSession.RunWithStreams(options, new MemoryStream(), output, new StringWriter()));
        Assert.That(task.Wait(TimeSpan.FromSeconds(60)), Is.True, "emu did not finish within 60 s");
        return (task.Result, Encoding.UTF8.GetString(output.ToArray()));
    }

    [Test]
    public void BoardScriptBootsTheGuestAndItsShellAnswers()
    {
        var (exitCode, text) = RunBoardScript("uptime");
        Assert.That(exitCode, Is.EqualTo(0));
        Assert.That(text, Does.Contain("LWKT kernel: 4 harts"));
        Assert.That(text, Does.Contain("lwkt> uptime"));
        Assert.That(text, Does.Match(@"uptime \d+\.\d+ s"));
    }

    [Test]
    public void GuestPoweroffEndsAPausedScriptedRun()
    {
        // The finisher is added right after board.resc, so the guest's poweroff works in the run.
        var (_, text) = RunBoardScript("poweroff");
        Assert.That(text, Does.Contain("Powering off."));
        Assert.That(text, Does.Not.Contain("panic"));
    }
}
