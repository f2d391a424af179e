using Emulator.PlatformDescription.Syntax;

namespace Emulator.PlatformDescription;

/// <summary>Where one interrupt source goes: a list of (destination, pin), fan-out when more than one.</summary>
internal sealed record IrqPlan(IrqSource Source, IReadOnlyList<(IrqDestination Destination, int Pin)> Targets);
