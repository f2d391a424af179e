namespace Emulator.PlatformDescription.Syntax;

/// <summary>
/// An interrupt connection: sources (ranges expanded; null for the default source) to destinations,
/// each destination taking one pin per source. No destinations means <c>-> none</c>.
/// </summary>
public sealed class IrqAttribute : Attribute
{
    public IrqAttribute(SourcePosition position, IReadOnlyList<IrqSource>? sources, IReadOnlyList<IrqDestination> destinations) : base(position)
    {
        Sources = sources;
        Destinations = destinations;
    }

    public IReadOnlyList<IrqSource>? Sources { get; }

    public IReadOnlyList<IrqDestination> Destinations { get; }
}
