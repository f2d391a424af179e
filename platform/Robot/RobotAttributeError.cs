namespace Emulator.Robot;

/// <summary>Python's AttributeError in an extended variable (`${r.groups}` when the result has `Groups`).</summary>
public sealed class RobotAttributeError : Exception
{
    public RobotAttributeError(string name) : base(name)
    {
        Name = name;
    }

    public string Name { get; }
}
