namespace Emulator.Cli.Litmus;

/// <summary>What N runs of one litmus test produced.</summary>
public sealed class LitmusOutcome
{
    public required LitmusTest Test { get; init; }

    /// <summary>Final state ("0:x5=0; 1:x5=1;") to how often it appeared and whether it satisfies the proposition.</summary>
    public SortedDictionary<string, (long Count, bool Satisfies)> Histogram { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs whose final state satisfies the proposition (witnesses of `exists`, violations of `~exists`).</summary>
    public long Positive { get; set; }

    public long Negative { get; set; }

    /// <summary>Runs that hit the instruction limit before every hart finished (a test that loops).</summary>
    public long Unfinished { get; set; }

    /// <summary>The first seed whose final state satisfied the proposition, for replay.</summary>
    public int? FirstPositiveSeed { get; set; }

    public double Seconds { get; set; }

    public bool Validated => Test.Quantifier switch
    {
        "exists" => Positive > 0,
        "~exists" => Positive == 0,
        _ => Negative == 0,
    };

    /// <summary>True when the outcome the test asks about was seen.</summary>
    public bool Observed => Positive > 0;
}
