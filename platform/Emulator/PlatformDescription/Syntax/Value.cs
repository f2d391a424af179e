namespace Emulator.PlatformDescription.Syntax;

/// <summary>A value in a platform description (attribute value, registration point, list element).</summary>
public abstract class Value
{
    protected Value(SourcePosition position)
    {
        Position = position;
    }

    public SourcePosition Position { get; }

    /// <summary>How the value reads in an error message.</summary>
    public abstract string Describe();
}
