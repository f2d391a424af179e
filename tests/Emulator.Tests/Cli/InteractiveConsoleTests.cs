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

    private void Start()
    {
        var elf = EchoGuest.Build();
        var emu = Path.Combine(TestContext.CurrentContext.TestDirectory, "emu");
        var board = Path.Combine(EchoGuest.RepositoryRoot, "board.resc");
        var script = Path.Combine(dir, "run.sh");
        File.WriteAllText(script, $"""
            cd '{dir}'
            stty -a > before.txt
            '{emu}' -e '$bin = @{elf}' '{board}' --log-file log.txt
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
