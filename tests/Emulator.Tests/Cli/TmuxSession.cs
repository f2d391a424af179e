using System.Diagnostics;
using NUnit.Framework;

namespace Emulator.Tests.Cli;

/// <summary>
/// A tmux session on a tmux server of its own (-L), for tests that drive emu on a real pseudo terminal.
/// A private server matters: on the shared default server a new session could reach the previous test's
/// server while it was exiting after its last session was killed, and then never exist.
/// </summary>
public sealed class TmuxSession : IDisposable
{
    private bool started;

    public TmuxSession(string prefix) => Name = prefix + Guid.NewGuid().ToString("N")[..8];

    public static bool Available => File.Exists("/usr/bin/tmux");

    /// <summary>Unique per test: also the server's socket name, and usable to find the processes it runs.</summary>
    public string Name { get; }

    public void Start(string command, int width, int height)
    {
        Run("new-session", "-d", "-s", Name, "-x", width.ToString(), "-y", height.ToString(), command);
        started = true;
    }

    /// <summary>Types the text literally.</summary>
    public void Type(string text) => Run("send-keys", "-t", Name, "-l", text);

    /// <summary>Sends keys by tmux name ("Enter", "C-a", "Up").</summary>
    public void Keys(params string[] keys) => Run(["send-keys", "-t", Name, .. keys]);

    /// <summary>The visible pane, and as many lines of its history.</summary>
    public string Capture(int history = 0) =>
        history == 0 ? Run("capture-pane", "-p", "-t", Name) : Run("capture-pane", "-p", "-S", "-" + history, "-t", Name);

    /// <summary>Waits until the pane (with 1000 lines of history) shows <paramref name="text"/> at least <paramref name="count"/> times.</summary>
    public void WaitFor(string text, int count = 1, int seconds = 30) =>
        WaitFor(screen => screen.Split(text).Length - 1 >= count, count == 1 ? $"'{text}'" : $"'{text}' {count} times", seconds);

    public void WaitFor(Func<string, bool> condition, string what, int seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        var screen = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            screen = Capture(1000);
            if (condition(screen))
            {
                return;
            }
            Thread.Sleep(100);
        }
        Assert.Fail($"{what} did not appear within {seconds} s; screen:\n{screen}");
    }

    public void Dispose()
    {
        if (started)
        {
            Run("kill-server");
        }
    }

    private string Run(params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-L");
        psi.ArgumentList.Add(Name);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(10_000))
        {
            p.Kill();
            Assert.Fail($"tmux {string.Join(' ', args)} did not answer within 10 s");
        }
        if (p.ExitCode != 0 && args[0] != "kill-server")
        {
            Assert.Fail($"tmux {string.Join(' ', args)} failed with exit code {p.ExitCode}: {error}");
        }
        return output.Result;
    }
}
