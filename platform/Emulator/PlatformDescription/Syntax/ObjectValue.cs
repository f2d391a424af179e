namespace Emulator.PlatformDescription.Syntax;

/// <summary><c>new Type { attributes }</c>: an inline object (Renode uses it for registration points).</summary>
public sealed class ObjectValue : Value
{
    public ObjectValue(SourcePosition position, string typeName, IReadOnlyList<Attribute> attributes) : base(position)
    {
        TypeName = typeName;
        Attributes = attributes;
    }

    public string TypeName { get; }

    public IReadOnlyList<Attribute> Attributes { get; }

    public override string Describe() => $"new {TypeName}";
}
