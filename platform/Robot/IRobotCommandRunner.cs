namespace Emulator.Robot;

/// <summary>
/// The monitor as the Robot keywords see it: `Execute Command` and `Execute Script`. Errors are thrown as
/// <see cref="Emulator.Core.EmulationException"/> with a one-line message.
/// </summary>
public interface IRobotCommandRunner
{
    string Execute(string line);

    string ExecuteScript(string path);
}
