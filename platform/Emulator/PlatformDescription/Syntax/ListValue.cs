namespace Emulator.PlatformDescription.Syntax;

/// <summary><c>[a, b, c]</c>; an element written <c>empty</c> is null (the element type's default).</summary>
public sealed class ListValue : Value
{
    public ListValue(SourcePosition position, IReadOnlyList<Value?> items) : base(position)
    {
        Items = items;
    }

    public IReadOnlyList<Value?> Items { get; }

    public override string Describe() => "[" + string.Join(", ", Items.Select(i => i?.Describe() ?? "empty")) + "]";
}
