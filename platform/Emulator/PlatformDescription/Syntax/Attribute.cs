namespace Emulator.PlatformDescription.Syntax;

/// <summary>One item in an entry's attribute block.</summary>
public abstract class Attribute
{
    protected Attribute(SourcePosition position)
    {
        Position = position;
    }

    public SourcePosition Position { get; }
}
