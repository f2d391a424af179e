namespace Emulator.PlatformDescription.Syntax;

/// <summary>
/// <c>name: value</c>. A lower-case initial names a constructor parameter, an upper-case one a property.
/// <c>none</c> (keep the value) leaves <see cref="Value"/> null with <see cref="IsNone"/>; <c>empty</c> (the type's
/// default) sets <see cref="IsEmpty"/>.
/// </summary>
public sealed class ValueAttribute : Attribute
{
    public ValueAttribute(SourcePosition position, string name, Value? value, bool isNone, bool isEmpty) : base(position)
    {
        Name = name;
        Value = value;
        IsNone = isNone;
        IsEmpty = isEmpty;
    }

    public string Name { get; }

    public Value? Value { get; }

    public bool IsNone { get; }

    public bool IsEmpty { get; }

    public bool IsConstructorParameter => char.IsLower(Name[0]) || Name[0] == '_';
}
