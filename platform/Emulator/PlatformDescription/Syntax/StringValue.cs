namespace Emulator.PlatformDescription.Syntax;

/// <summary>A quoted string (<c>"..."</c> or <c>'''...'''</c>), unescaped.</summary>
public sealed class StringValue : Value
{
    public StringValue(SourcePosition position, string text) : base(position)
    {
        Text = text;
    }

    public string Text { get; }

    public override string Describe() => $"\"{Text}\"";
}
