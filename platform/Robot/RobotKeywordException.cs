using Emulator.Core;

namespace Emulator.Robot;

/// <summary>
/// A keyword failed (assertion, timeout, bad argument). The runner turns it into a FAIL with the location
/// of the step that failed; the message itself carries no location, so `Run Keyword And Expect Error` can match it.
/// </summary>
public class RobotKeywordException : EmulationException
{
    public RobotKeywordException(string message)
        : base(message)
    {
    }

    public RobotKeywordException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Location of the innermost step that failed, filled in by the runner as the failure propagates.</summary>
    public RobotSourceLocation? Location { get; set; }

    /// <summary>True when the message already names locations (combined failures), so no prefix is added.</summary>
    public bool HasLocationInMessage { get; set; }

    /// <summary>True when the failure is the test timeout (the runner then skips nothing but reports the timeout).</summary>
    public bool IsTimeout { get; set; }

    /// <summary>The test status this failure gives: FAIL normally, SKIP for `Skip`, PASS for `Pass Execution`.</summary>
    public virtual RobotTestStatus Status => RobotTestStatus.Fail;
}
