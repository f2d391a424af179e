using System.Diagnostics;
using NUnit.Framework;

namespace Emulator.Tests.Cli;

/// <summary>
/// `emu board.resc` on a real pseudo terminal (tmux): the guest's UART is on the terminal in raw mode,
/// Ctrl-A c switches to the monitor and back, Ctrl-A x quits, a guest exit ends emu with its code, and
/// the terminal settings are the same afterwards.
/// </summary>
[TestFixture]
[NonParallelizable]
public class InteractiveConsoleTests
{
    private string dir = null!;
    private TmuxSession tmux = null!;

    [SetUp]
    public void SetUp()
    {
        if (!TmuxSession.Available)
        {
            Assert.Ignore("tmux is not installed");
        }
        dir = Path.Combine(Path.GetTempPath(), "emu-tty-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        tmux = new TmuxSession("emu-test-");
    }

    [TearDown]
    public void TearDown()
    {
        tmux?.Dispose();
        if (dir != null && Directory.Exists(dir))
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void GuestConsoleMonitorSwitchAndQuit()
    {
        Start();
        tmux.WaitFor("ready");
        tmux.Type("hi");
        // Echoed by the guest before any Enter: the terminal is raw.
        tmux.WaitFor("\nhi");
        tmux.Keys("C-a", "c");
        tmux.WaitFor("(machine-0)");
        tmux.Type("cpu1 PerformanceInMips");
        tmux.Keys("Enter");
        tmux.WaitFor("\n100");
        // Up recalls the last command.
        tmux.Keys("Up");
        tmux.Keys("Enter");
        tmux.WaitFor(screen => screen.Split("cpu1 PerformanceInMips\n100").Length == 3, "the recalled command's second answer");
        tmux.Keys("C-a", "c");
        tmux.WaitFor("[guest console]");
        tmux.Type("zz");
        tmux.WaitFor("zz");
        tmux.Keys("C-a", "x");
        Assert.That(WaitForExit(), Is.EqualTo("EXIT=0"));
        AssertTerminalRestored();
        Assert.That(File.ReadAllText(Path.Combine(dir, "log.txt")), Does.Not.Contain("ready"), "UART output is not logged");
    }

    [Test]
    public void GuestExitEndsEmuWithItsCode()
    {
        Start();
        tmux.WaitFor("ready");
        tmux.Type("f");
        Assert.That(WaitForExit(), Is.EqualTo("EXIT=3"));
        AssertTerminalRestored();
    }

    [Test]
    public void SignalRestoresTheTerminal()
    {
        Start();
        tmux.WaitFor("ready");
        var pid = FindEmuProcess();
        using (var term = Process.Start("/bin/kill", new[] { "-TERM", pid.ToString() }))
        {
            term.WaitForExit(5000);
        }
        Assert.That(WaitForExit(), Is.Not.Empty);
        AssertTerminalRestored();
    }

    [Test]
    public void IdleGuestCostsNoHostCpu()
    {
        var idle = GuestToolchain.Build(".section .text.start\n.globl _start\n_start:\n    wfi\n    j _start\n");
        Start(idle);
        tmux.WaitFor("Ctrl-A x");
        var pid = FindEmuProcess();
        Thread.Sleep(1000);
        var before = CpuTicks(pid);
        Thread.Sleep(3000);
        var used = CpuTicks(pid) - before;
        // Clock ticks are 1/100 s: under 0.3 s of CPU in 3 s of wall time (a spinning core would use 3 s).
        Assert.That(used, Is.LessThan(30), $"emu used {used * 10} ms of CPU in 3 s while the guest idled");
        tmux.Keys("C-a", "x");
        Assert.That(WaitForExit(), Is.EqualTo("EXIT=0"));
    }

    private static long CpuTicks(int pid)
    {
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After "pid (comm)": state is field 0, utime 11, stime 12.
        return long.Parse(fields[11]) + long.Parse(fields[12]);
    }

    /// <summary>The emu started by this test's session (its command line carries the session's unique name).</summary>
    private int FindEmuProcess()
    {
        foreach (var p in Process.GetProcessesByName("emu"))
        {
            try
            {
                if (File.ReadAllText($"/proc/{p.Id}/cmdline").Contains(tmux.Name, StringComparison.Ordinal))
                {
                    return p.Id;
                }
            }
            catch (IOException)
            {
            }
        }
        Assert.Fail("the emu process was not found");
        return 0;
    }

    private void Start(string? guest = null)
    {
        var elf = guest ?? EchoGuest.Build();
        var emu = Path.Combine(TestContext.CurrentContext.TestDirectory, "emu");
        var board = Path.Combine(EchoGuest.RepositoryRoot, "board.resc");
        var script = Path.Combine(dir, "run.sh");
        File.WriteAllText(script, $"""
            cd '{dir}'
            stty -a > before.txt
            '{emu}' -e '$bin = @{elf}' '{board}' --log-file log.txt -e '$session = "{tmux.Name}"'
            echo "EXIT=$?" > exit.tmp && mv exit.tmp exit.txt
            stty -a > after.txt
            sleep 60
            """);
        tmux.Start($"bash '{script}'", 120, 40);
    }

    private void AssertTerminalRestored() =>
        Assert.That(File.ReadAllText(Path.Combine(dir, "after.txt")), Is.EqualTo(File.ReadAllText(Path.Combine(dir, "before.txt"))));

    private string WaitForExit()
    {
        var path = Path.Combine(dir, "exit.txt");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path) && File.Exists(Path.Combine(dir, "after.txt")))
            {
                return File.ReadAllText(path).Trim();
            }
            Thread.Sleep(100);
        }
        Assert.Fail("emu did not exit within 20 s; screen:\n" + tmux.Capture());
        return "";
    }
}
