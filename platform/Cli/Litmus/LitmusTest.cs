namespace Emulator.Cli.Litmus;

/// <summary>One parsed litmus test (herd7/litmus7 RISC-V format).</summary>
public sealed class LitmusTest
{
    public required string File { get; init; }

    public required string Name { get; init; }

    /// <summary>The `Expected=Allowed|Forbidden` metadata line of this project's tests (tests/litmus), or null.</summary>
    public string? Expected { get; init; }

    /// <summary>`exists`, `~exists` or `forall`.</summary>
    public required string Quantifier { get; init; }

    public required LitmusCondition Condition { get; init; }

    /// <summary>Each hart's code lines, with the litmus line each came from.</summary>
    public required List<List<(string Code, int Line)>> Code { get; init; }

    /// <summary>Initial registers: (hart, register index, value, or the location whose address it holds).</summary>
    public required List<(int Hart, int Register, long Value, string? Location)> Registers { get; init; }

    /// <summary>Every location with its initial value (0 unless the initial state sets it).</summary>
    public required Dictionary<string, long> Locations { get; init; }

    /// <summary>Variables shown in each final state: the condition's and `locations [...]`.</summary>
    public required List<(int Hart, string Name)> Observed { get; init; }

    public required string Source { get; init; }

    public int Harts => Code.Count;
}
