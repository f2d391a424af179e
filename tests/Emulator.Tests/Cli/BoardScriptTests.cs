using System.Text;
using Emulator.Cli;
using NUnit.Framework;

namespace Emulator.Tests.Cli;

/// <summary>`emu board.resc` with the real LWKT guest (when guest/build/lwkt.elf has been built).</summary>
[TestFixture]
public class BoardScriptTests
{
    [Test]
    public void BoardScriptBootsTheGuestAndItsShellAnswers()
    {
        var root = EchoGuest.RepositoryRoot;
        if (!File.Exists(Path.Combine(root, "guest", "build", "lwkt.elf")))
        {
            Assert.Ignore("guest/build/lwkt.elf is not built (make -C guest)");
        }
        // Paused and driven by virtual time, so the run is deterministic and bounded.
        var options = HostOptions.Parse(new[]
        {
            Path.Combine(root, "board.resc"), "--paused", "--hide-log",
            "-e", "uart0 WriteLine \"uptime\"",
            "-e", "emulation RunFor \"00:00:01\"",
            "-e", "quit",
        });
        var output = new MemoryStream();
        var task = Task.Run(() => HostSession.RunWithStreams(options, new MemoryStream(), output, new StringWriter()));
        Assert.That(task.Wait(TimeSpan.FromSeconds(60)), Is.True, "emu did not finish within 60 s");
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.That(task.Result, Is.EqualTo(0));
        Assert.That(text, Does.Contain("LWKT kernel: 4 harts"));
        Assert.That(text, Does.Contain("lwkt> uptime"));
        Assert.That(text, Does.Match(@"uptime \d+\.\d+ s"));
    }

    [Test]
    public void GuestPoweroffEndsAPausedScriptedRun()
    {
        var root = EchoGuest.RepositoryRoot;
        if (!File.Exists(Path.Combine(root, "guest", "build", "lwkt.elf")))
        {
            Assert.Ignore("guest/build/lwkt.elf is not built (make -C guest)");
        }
        // The finisher is added right after board.resc, so the guest's poweroff works in the RunFor below.
        var options = HostOptions.Parse(new[]
        {
            Path.Combine(root, "board.resc"), "--paused", "--hide-log",
            "-e", "uart0 WriteLine \"poweroff\"",
            "-e", "emulation RunFor \"00:00:01\"",
            "-e", "quit",
        });
        var output = new MemoryStream();
        var task = Task.Run(() => HostSession.RunWithStreams(options, new MemoryStream(), output, new StringWriter()));
        Assert.That(task.Wait(TimeSpan.FromSeconds(60)), Is.True, "emu did not finish within 60 s");
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.That(text, Does.Contain("Powering off."));
        Assert.That(text, Does.Not.Contain("panic"));
    }
}
