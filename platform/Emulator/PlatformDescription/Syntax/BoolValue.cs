namespace Emulator.PlatformDescription.Syntax;

/// <summary><c>true</c>/<c>True</c>/<c>false</c>/<c>False</c>.</summary>
public sealed class BoolValue : Value
{
    public BoolValue(SourcePosition position, bool flag) : base(position)
    {
        Flag = flag;
    }

    public bool Flag { get; }

    public override string Describe() => Flag ? "true" : "false";
}
