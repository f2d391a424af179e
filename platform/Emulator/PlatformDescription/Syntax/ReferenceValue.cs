namespace Emulator.PlatformDescription.Syntax;

/// <summary>A bare identifier naming another entry (<c>timeProvider: clint</c>).</summary>
public sealed class ReferenceValue : Value
{
    public ReferenceValue(SourcePosition position, string name) : base(position)
    {
        Name = name;
    }

    public string Name { get; }

    public override string Describe() => Name;
}
