namespace Emulator.Robot;

/// <summary>One entry of a user keyword's [Arguments]: name without decoration, and its default (raw text) if any.</summary>
public sealed record RobotArgumentSpec(string Name, RobotArgumentKind Kind, string? Default)
{
    public bool HasDefault => Default != null;

    /// <summary>Robot's textual form for the Remote protocol and messages: `name`, `name=default`, `*name`, `**name`.</summary>
    public override string ToString() => Kind switch
    {
        RobotArgumentKind.VarArgs => "*" + Name,
        RobotArgumentKind.KwArgs => "**" + Name,
        _ => Default == null ? Name : $"{Name}={Default}",
    };
}
