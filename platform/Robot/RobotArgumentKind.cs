namespace Emulator.Robot;

/// <summary>How a user keyword argument binds: `${a}`, `@{rest}` or `&amp;{named}`.</summary>
public enum RobotArgumentKind
{
    Scalar,
    VarArgs,
    KwArgs,
}
