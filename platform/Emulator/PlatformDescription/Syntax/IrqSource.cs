namespace Emulator.PlatformDescription.Syntax;

/// <summary>One interrupt source: a numbered output (<c>0</c>) or a named GPIO property (<c>IRQ</c>).</summary>
public sealed record IrqSource(SourcePosition Position, int? Number, string? PropertyName)
{
    public string Describe() => Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? PropertyName ?? "default";
}
