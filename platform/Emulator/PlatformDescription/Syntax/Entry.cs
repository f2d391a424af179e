namespace Emulator.PlatformDescription.Syntax;

/// <summary>
/// <c>[local] name: [Type] [@ registration] [as "alias"] [{ attributes }]</c>: creating when it has a type,
/// updating otherwise.
/// </summary>
public sealed class Entry
{
    public Entry(SourcePosition position, bool isLocal, string variable, string? typeName, SourcePosition? typePosition,
        Registration? registration, string? alias, SourcePosition? aliasPosition, IReadOnlyList<Attribute> attributes)
    {
        Position = position;
        IsLocal = isLocal;
        Variable = variable;
        TypeName = typeName;
        TypePosition = typePosition;
        Registration = registration;
        Alias = alias;
        AliasPosition = aliasPosition;
        Attributes = attributes;
    }

    public SourcePosition Position { get; }

    public bool IsLocal { get; }

    public string Variable { get; }

    public string? TypeName { get; }

    public SourcePosition? TypePosition { get; }

    public Registration? Registration { get; }

    public string? Alias { get; }

    public SourcePosition? AliasPosition { get; }

    public IReadOnlyList<Attribute> Attributes { get; }

    public bool IsCreating => TypeName != null;
}
