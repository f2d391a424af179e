namespace Emulator.Robot;

/// <summary>The kind of a FOR loop: `IN`, `IN RANGE`, `IN ENUMERATE` or `IN ZIP`.</summary>
public enum RobotForFlavor
{
    In,
    InRange,
    InEnumerate,
    InZip,
}
