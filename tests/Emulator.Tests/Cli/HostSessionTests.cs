using System.Text;
using Emulator.Cli;
using Emulator.Core;
using Emulator.Tests.PlatformDescription;
using NUnit.Framework;

namespace Emulator.Tests.Cli;

[TestFixture]
public class HostSessionTests
{
    private string dir = null!;

    [SetUp]
    public void SetUp()
    {
        dir = Path.Combine(Path.GetTempPath(), "emu-cli-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(dir, true);

    private static (int Code, string Out, string Err) Run(string stdin, params string[] args)
    {
        var options = HostOptions.Parse(args);
        var output = new MemoryStream();
        var errors = new StringWriter();
        var task = Task.Run(() => HostSession.RunWithStreams(options, new MemoryStream(Encoding.UTF8.GetBytes(stdin)), output, errors));
        Assert.That(task.Wait(TimeSpan.FromSeconds(30)), Is.True, "emu did not finish within 30 s");
        return (task.Result, Encoding.UTF8.GetString(output.ToArray()), errors.ToString());
    }

    [Test]
    public void OptionsAreParsedLikeRenodes()
    {
        var o = HostOptions.Parse(new[] { "board.resc", "-e", "start", "--execute", "pause", "--console", "--plain", "--hide-log", "-P", "4444", "--robot-server-port", "5555", "--paused", "--log-file", "x.log", "--disable-xwt" });
        Assert.That(o.Scripts, Is.EqualTo(new[] { "board.resc" }));
        Assert.That(o.Commands, Is.EqualTo(new[] { "start", "pause" }));
        Assert.That((o.StartInMonitor, o.Plain, o.HideLog, o.Paused), Is.EqualTo((true, true, true, true)));
        Assert.That((o.MonitorPort, o.RobotServerPort, o.LogFile), Is.EqualTo(((int?)4444, (int?)5555, "x.log")));
        Assert.That(Assert.Throws<EmulationException>(() => HostOptions.Parse(new[] { "--bogus" }))!.Message, Does.Contain("unknown option --bogus"));
        Assert.That(Assert.Throws<EmulationException>(() => HostOptions.Parse(new[] { "--port", "x" }))!.Message, Does.Contain("takes a TCP port"));
        Assert.That(Assert.Throws<EmulationException>(() => HostOptions.Parse(new[] { "-e" }))!.Message, Does.Contain("-e needs a value"));
    }

    [Test]
    public void ScriptsThenCommandsThenStdinRunInOrder()
    {
        var script = Path.Combine(dir, "a.resc");
        File.WriteAllText(script, "mach create \"first\"\n");
        var (code, output, _) = Run("mach\nquit\n", script, "-e", "mach create \"second\"");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("[0] first"));
        Assert.That(output, Does.Contain("* [1] second"));
        Assert.That(output, Does.Contain("Renode is quitting"));
    }

    [Test]
    public void ACommandThatRanTheMachineLeavesItPausedSoTheEndOfStdinEndsTheSession()
    {
        // A CI call such as `emu board.resc -e 'emulation RunFor "00:00:00.01"' </dev/null` must end: the guest
        // (an endless loop here) ran for the time the command gave, and nothing starts it again.
        var elf = GuestToolchain.Build(".section .text.start\n.globl _start\n_start:\n    j _start\n");
        var (code, output, errors) = Run("", "-e", "mach create", "-e", $"machine LoadPlatformDescription @{RepositoryPaths.File("platform/boards/board-1.repl")}",
            "-e", $"sysbus LoadELF @{elf}", "-e", "emulation RunFor \"00:00:00.01\"", "-e", "cpu0 Statistics");
        Assert.That(code, Is.EqualTo(0), errors);
        Assert.That(output, Does.Contain("Instructions: 1000000"), "10 ms of virtual time at 100 MIPS per hart");
    }

    [Test]
    public void QuitInACommandEndsBeforeStdinIsRead()
    {
        var (code, output, _) = Run("this is never read\n", "-e", "quit");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("Renode is quitting"));
        Assert.That(output, Does.Not.Contain("unknown command"));
    }

    [Test]
    public void ScriptErrorIsReportedWithFileAndLineAndFailsTheRun()
    {
        var script = Path.Combine(dir, "bad.resc");
        File.WriteAllText(script, "mach create\nsysbus Explode 1\n");
        var (code, _, errors) = Run("", script);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(errors, Does.Match(@"emu: .*bad\.resc:2: sysbus has no command or property 'Explode'"));
    }

    [Test]
    public void BadStdinCommandsPrintAnErrorAndTheMonitorGoesOn()
    {
        var (code, output, _) = Run("nonsense\nmach create\nmach\n");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("unknown command or object 'nonsense'"));
        Assert.That(output, Does.Contain("[0] machine-0"));
    }

    [Test]
    public void LogGoesToStderrUnlessHidden()
    {
        var (_, output, errors) = Run("sysbus ReadDoubleWord 0x0\n", "-e", "mach create");
        Assert.That(errors, Does.Contain("[WARNING] sysbus: read32 from non-existing peripheral at 0x0"));
        Assert.That(output, Does.Not.Contain("[WARNING]"), "the log never goes to the guest's stdout");
        Assert.That(output, Does.Contain("nothing is mapped at 0x0"));
        (_, _, errors) = Run("sysbus ReadDoubleWord 0x0\n", "-e", "mach create", "--hide-log");
        Assert.That(errors, Does.Not.Contain("[WARNING]"));
        var logFile = Path.Combine(dir, "emu.log");
        (_, _, errors) = Run("sysbus ReadDoubleWord 0x0\n", "-e", "mach create", "--log-file", logFile);
        Assert.That(errors, Does.Not.Contain("[WARNING]"));
        Assert.That(File.ReadAllText(logFile), Does.Contain("[WARNING] sysbus: read32"));
    }
}
