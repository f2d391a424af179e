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
    private string session = null!;

    [SetUp]
    public void SetUp()
    {
        if (!File.Exists("/usr/bin/tmux"))
        {
            Assert.Ignore("tmux is not installed");
        }
        dir = Path.Combine(Path.GetTempPath(), "emu-tty-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        session = "emu-test-" + Guid.NewGuid().ToString("N")[..8];
    }

    [TearDown]
    public void TearDown()
    {
        if (session != null && File.Exists("/usr/bin/tmux"))
        {
            Tmux("kill-session", "-t", session);
        }
        if (dir != null && Directory.Exists(dir))
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void GuestConsoleMonitorSwitchAndQuit()
    {
        Start();
        WaitForPane("ready");
        Tmux("send-keys", "-t", session, "-l", "hi");
        // Echoed by the guest before any Enter: the terminal is raw.
        WaitForPane("\nhi");
        Tmux("send-keys", "-t", session, "C-a", "c");
        WaitForPane("(machine-0)");
        Tmux("send-keys", "-t", session, "-l", "cpu1 PerformanceInMips");
        Tmux("send-keys", "-t", session, "Enter");
        WaitForPane("\n100");
        // Up recalls the last command.
        Tmux("send-keys", "-t", session, "Up");
        Tmux("send-keys", "-t", session, "Enter");
        WaitFor(() => Capture().Split("cpu1 PerformanceInMips\n100").Length == 3, "the recalled command ran again");
        Tmux("send-keys", "-t", session, "C-a", "c");
        WaitForPane("[guest console]");
        Tmux("send-keys", "-t", session, "-l", "zz");
        WaitForPane("zz");
        Tmux("send-keys", "-t", session, "C-a", "x");
        Assert.That(WaitForExit(), Is.EqualTo("EXIT=0"));
        AssertTerminalRestored();
        Assert.That(File.ReadAllText(Path.Combine(dir, "log.txt")), Does.Not.Contain("ready"), "UART output is not logged");
    }

    [Test]
    public void GuestExitEndsEmuWithItsCode()
    {
        Start();
        WaitForPane("ready");
        Tmux("send-keys", "-t", session, "-l", "f");
        Assert.That(WaitForExit(), Is.EqualTo("EXIT=3"));
        AssertTerminalRestored();
    }

    [Test]
    public void SignalRestoresTheTerminal()
    {
        Start();
        WaitForPane("ready");
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
        WaitForPane("Ctrl-A x");
        var pid = FindEmuProcess();
        Thread.Sleep(1000);
        var before = CpuTicks(pid);
        Thread.Sleep(3000);
        var used = CpuTicks(pid) - before;
        // Clock ticks are 1/100 s: under 0.3 s of CPU in 3 s of wall time (a spinning core would use 3 s).
        Assert.That(used, Is.LessThan(30), $"emu used {used * 10} ms of CPU in 3 s while the guest idled");
        Tmux("send-keys", "-t", session, "C-a", "x");
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
                if (File.ReadAllText($"/proc/{p.Id}/cmdline").Contains(session, StringComparison.Ordinal))
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
            '{emu}' -e '$bin = @{elf}' '{board}' --log-file log.txt -e '$session = "{session}"'
            echo "EXIT=$?" > exit.tmp && mv exit.tmp exit.txt
            stty -a > after.txt
            sleep 60
            """);
        Tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", $"bash '{script}'");
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
        Assert.Fail("emu did not exit within 20 s; screen:\n" + Capture());
        return "";
    }

    private void WaitForPane(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string screen = "";
        while (DateTime.UtcNow < deadline)
        {
            screen = Capture();
            if (screen.Contains(text, StringComparison.Ordinal))
            {
                return;
            }
            Thread.Sleep(100);
        }
        Assert.Fail($"'{text}' did not appear within 30 s; screen:\n{screen}");
    }

    private void WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return;
            }
            Thread.Sleep(100);
        }
        Assert.Fail($"{what}: not within 30 s; screen:\n{Capture()}");
    }

    private string Capture() => Tmux("capture-pane", "-p", "-t", session);

    private static string Tmux(params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        p.StandardError.ReadToEnd();
        if (!p.WaitForExit(10_000))
        {
            p.Kill();
            Assert.Fail("tmux did not answer within 10 s");
        }
        return output.Result;
    }
}
