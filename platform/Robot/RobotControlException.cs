namespace Emulator.Robot;

/// <summary>
/// Ends a test early with a status other than FAIL (`Skip`, `Pass Execution`). It travels like a failure
/// so that the rest of the body is skipped, but teardowns still run.
/// </summary>
public sealed class RobotControlException : RobotKeywordException
{
    public RobotControlException(RobotTestStatus status, string message)
        : base(message)
    {
        ControlStatus = status;
    }

    public RobotTestStatus ControlStatus { get; }

    public override RobotTestStatus Status => ControlStatus;
}
