namespace Emulator.PlatformDescription.Syntax;

/// <summary><c>init:</c>, <c>preinit:</c> or <c>reset:</c> (optionally <c>add</c>) with its Monitor statements.</summary>
public sealed class InitAttribute : Attribute
{
    public InitAttribute(SourcePosition position, string kind, bool isAdd, IReadOnlyList<string> statements) : base(position)
    {
        Kind = kind;
        IsAdd = isAdd;
        Statements = statements;
    }

    /// <summary>"init", "preinit" or "reset".</summary>
    public string Kind { get; }

    public bool IsAdd { get; }

    public IReadOnlyList<string> Statements { get; }
}
