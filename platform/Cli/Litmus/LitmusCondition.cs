namespace Emulator.Cli.Litmus;

/// <summary>
/// A proposition of a litmus condition: `0:x5=1`, `x=2`, `~p`, `p /\ q`, `p \/ q`, `true`, `false`.
/// Atoms name a hart's register (<see cref="Hart"/> ≥ 0) or a memory location (<see cref="Hart"/> = -1).
/// </summary>
public sealed class LitmusCondition
{
    public LitmusConditionKind Type { get; init; }

    public int Hart { get; init; } = -1;

    public string Name { get; init; } = "";

    public long Value { get; init; }

    public LitmusCondition? Left { get; init; }

    public LitmusCondition? Right { get; init; }

    /// <summary>Evaluates against a final state: a hart's register by (hart, index), a location by name.</summary>
    public bool Evaluate(Func<int, string, long> read) => Type switch
    {
        LitmusConditionKind.Atom => read(Hart, Name) == Value,
        LitmusConditionKind.Not => !Left!.Evaluate(read),
        LitmusConditionKind.And => Left!.Evaluate(read) && Right!.Evaluate(read),
        LitmusConditionKind.Or => Left!.Evaluate(read) || Right!.Evaluate(read),
        LitmusConditionKind.True => true,
        _ => false,
    };

    /// <summary>Every atom's variable, in order of first appearance ("0:x5", "x").</summary>
    public void CollectVariables(List<(int Hart, string Name)> into)
    {
        switch (Type)
        {
            case LitmusConditionKind.Atom:
                if (!into.Contains((Hart, Name)))
                {
                    into.Add((Hart, Name));
                }
                break;
            case LitmusConditionKind.Not:
                Left!.CollectVariables(into);
                break;
            case LitmusConditionKind.And:
            case LitmusConditionKind.Or:
                Left!.CollectVariables(into);
                Right!.CollectVariables(into);
                break;
        }
    }

    public override string ToString() => Type switch
    {
        LitmusConditionKind.Atom => (Hart >= 0 ? $"{Hart}:{Name}" : Name) + "=" + Value,
        LitmusConditionKind.Not => $"~{Left}",
        LitmusConditionKind.And => $"{Left} /\\ {Right}",
        LitmusConditionKind.Or => $"({Left} \\/ {Right})",
        LitmusConditionKind.True => "true",
        _ => "false",
    };
}
