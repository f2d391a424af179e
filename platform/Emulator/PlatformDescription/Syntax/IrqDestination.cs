namespace Emulator.PlatformDescription.Syntax;

/// <summary><c>plic@10</c>, <c>cpu0@[3, 7]</c> or <c>gpio#2@5</c>: a receiver and its pins (ranges expanded).</summary>
public sealed record IrqDestination(SourcePosition Position, string Target, int? LocalIndex, IReadOnlyList<int> Pins);
