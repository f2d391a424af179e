namespace Emulator.PlatformDescription.Syntax;

/// <summary><c>PrivilegedArchitecture.Priv1_11</c>, or the shorthand <c>.Priv1_11</c> (no type).</summary>
public sealed class EnumValue : Value
{
    public EnumValue(SourcePosition position, string? typeName, string member) : base(position)
    {
        TypeName = typeName;
        Member = member;
    }

    /// <summary>Everything before the last dot (possibly namespace-qualified), or null for the shorthand.</summary>
    public string? TypeName { get; }

    public string Member { get; }

    public override string Describe() => TypeName == null ? "." + Member : $"{TypeName}.{Member}";
}
