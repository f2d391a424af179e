using Emulator.Core;

namespace Emulator.Robot;

/// <summary>A `.robot` file (or a tests.yaml) that cannot be read; the message starts with `file:line:`.</summary>
public sealed class RobotSyntaxException : EmulationException
{
    public RobotSyntaxException(RobotSourceLocation location, string message)
        : base($"{location}: {message}")
    {
        Location = location;
        Reason = message;
    }

    public RobotSourceLocation Location { get; }

    /// <summary>The message without the location prefix.</summary>
    public string Reason { get; }
}
