using Emulator.Core;

namespace Emulator.Robot;

/// <summary>
/// Runs `Execute Command` / `Execute Script` through the emulator's monitor, one monitor per emulation
/// (a fresh one after every `Reset Emulation`, so monitor variables start over as in a new Renode
/// emulation). Monitor errors (MonitorException) are EmulationExceptions with a one-line message; any other
/// exception from a command is reported the same way instead of escaping.
/// </summary>
public sealed class RobotMonitorCommandRunner : IRobotCommandRunner, IDisposable
{
    private readonly Monitor.Monitor monitor;
    private readonly bool ownsMonitor;

    public RobotMonitorCommandRunner(Emulation emulation)
    {
        Emulation = emulation;
        monitor = new Monitor.Monitor(emulation);
        ownsMonitor = true;
    }

    /// <summary>Shares a host's monitor (e.g. the CLI's, so Robot sees its variables); it is not disposed here.</summary>
    public RobotMonitorCommandRunner(Monitor.Monitor monitor)
    {
        Emulation = monitor.Emulation;
        this.monitor = monitor;
    }

    public Emulation Emulation { get; }

    public string Execute(string line) => Guard(() => monitor.Execute(line));

    public string ExecuteScript(string path) => Guard(() => monitor.ExecuteScript(path));

    public void Dispose()
    {
        if (ownsMonitor)
        {
            monitor.Dispose();
        }
    }

    private static string Guard(Func<string> action)
    {
        try
        {
            return action();
        }
        catch (EmulationException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new EmulationException($"{e.GetType().Name}: {e.Message}", e);
        }
    }
}
