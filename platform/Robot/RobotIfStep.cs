namespace Emulator.Robot;

/// <summary>`IF` / `ELSE IF` / `ELSE` / `END`: the first branch whose condition holds runs.</summary>
public sealed class RobotIfStep : RobotStep
{
    public RobotIfStep(RobotSourceLocation location, IReadOnlyList<RobotIfBranch> branches)
        : base(location)
    {
        Branches = branches;
    }

    public IReadOnlyList<RobotIfBranch> Branches { get; }
}
