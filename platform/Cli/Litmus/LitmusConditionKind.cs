namespace Emulator.Cli.Litmus;

/// <summary>The node kinds of a <see cref="LitmusCondition"/>.</summary>
public enum LitmusConditionKind
{
    Atom,
    Not,
    And,
    Or,
    True,
    False,
}
