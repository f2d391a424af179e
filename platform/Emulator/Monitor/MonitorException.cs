using Emulator.Core;

namespace Emulator.Monitor;

/// <summary>A monitor command failed; the message is one line that says what was expected.</summary>
public sealed class MonitorException : EmulationException
{
    public MonitorException(string message) : base(message)
    {
    }

    public MonitorException(string message, Exception inner) : base(message, inner)
    {
    }
}
