using Emulator.Robot;

namespace Emulator.Cli;

/// <summary>Lets the Robot keywords `Execute Command` / `Execute Script` use the session's own monitor.</summary>
internal sealed class MonitorCommandRunner : IRobotCommandRunner
{
    private readonly Emulator.Monitor.Monitor monitor;

    public MonitorCommandRunner(Emulator.Monitor.Monitor monitor)
    {
        this.monitor = monitor;
    }

    public string Execute(string line) => monitor.ExecuteLive(line);

    public string ExecuteScript(string path) => monitor.ExecuteScript(path);
}
