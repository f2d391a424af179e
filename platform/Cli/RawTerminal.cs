using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Emulator.Cli;

/// <summary>
/// Puts the controlling terminal in raw mode with /bin/stty (so keys reach the guest one by one, Ctrl-C
/// included) and restores the saved settings on every way out: Dispose, process exit, signals, crashes.
/// </summary>
public sealed class RawTerminal : IDisposable
{
    private readonly string saved;
    private readonly List<PosixSignalRegistration> signals = new();
    private int restored;

    private RawTerminal(string saved)
    {
        this.saved = saved;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Restore();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => Restore();
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
        {
            // The default action (exit) still happens after the handler restores the terminal.
            signals.Add(PosixSignalRegistration.Create(signal, _ => Restore()));
        }
    }

    /// <summary>Raw mode, or null when stdin is not a terminal or stty fails (the caller falls back to line mode).</summary>
    public static RawTerminal? TryEnter(TextWriter diagnostics)
    {
        if (Console.IsInputRedirected || !File.Exists("/bin/stty"))
        {
            return null;
        }
        var (ok, settings) = Stty("-g");
        if (!ok || settings.Length == 0)
        {
            diagnostics.WriteLine("emu: cannot read the terminal's settings; using line mode");
            return null;
        }
        var terminal = new RawTerminal(settings.Trim());
        if (!Stty("raw -echo").Ok)
        {
            diagnostics.WriteLine("emu: cannot put the terminal in raw mode; using line mode");
            terminal.Dispose();
            return null;
        }
        return terminal;
    }

    public void Restore()
    {
        if (Interlocked.Exchange(ref restored, 1) == 0)
        {
            Stty(saved);
        }
    }

    public void Dispose()
    {
        Restore();
        foreach (var s in signals)
        {
            s.Dispose();
        }
        signals.Clear();
    }

    private static (bool Ok, string Output) Stty(string arguments)
    {
        try
        {
            // stdin is inherited: stty acts on the terminal it reads from.
            var psi = new ProcessStartInfo("/bin/stty", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            if (p == null)
            {
                return (false, "");
            }
            var output = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            if (!p.WaitForExit(5000))
            {
                p.Kill();
                return (false, "");
            }
            return (p.ExitCode == 0, output);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return (false, "");
        }
    }
}
