namespace Emulator.PlatformDescription.Syntax;

/// <summary><c>{ key: value; ... }</c> as an attribute value.</summary>
public sealed class DictionaryValue : Value
{
    public DictionaryValue(SourcePosition position, IReadOnlyList<KeyValuePair<Value, Value>> items) : base(position)
    {
        Items = items;
    }

    public IReadOnlyList<KeyValuePair<Value, Value>> Items { get; }

    public override string Describe() => "{" + string.Join("; ", Items.Select(i => $"{i.Key.Describe()}: {i.Value.Describe()}")) + "}";
}
