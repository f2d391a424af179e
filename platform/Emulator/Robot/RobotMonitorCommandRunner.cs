using Emulator.Core;

namespace Emulator.Robot;

/// <summary>
/// Runs `Execute Command` / `Execute Script` through the emulator's monitor.
/// </summary>
public sealed class RobotMonitorCommandRunner : IRobotCommandRunner
{
    public RobotMonitorCommandRunner(Emulation emulation)
    {
        Emulation = emulation;
    }

    public Emulation Emulation { get; }

    public string Execute(string line) => throw new EmulationException("the monitor is not available in this build");

    public string ExecuteScript(string path) => throw new EmulationException("the monitor is not available in this build");
}
