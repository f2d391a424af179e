namespace Emulator.Robot;

/// <summary>A user keyword found by name, with the values of its embedded arguments (if any) from that name.</summary>
public sealed class RobotUserKeywordHandler : IRobotKeyword
{
    public RobotUserKeywordHandler(RobotUserKeyword keyword, IReadOnlyList<string> embeddedValues)
    {
        Keyword = keyword;
        EmbeddedValues = embeddedValues;
    }

    public RobotUserKeyword Keyword { get; }

    public IReadOnlyList<string> EmbeddedValues { get; }

    public string Name => Keyword.Name;

    public IReadOnlyList<RobotArgumentSpec> Arguments => Keyword.Arguments;

    public string Documentation => Keyword.Documentation;

    public IReadOnlyList<string> Tags => Keyword.Tags;

    public IReadOnlyDictionary<string, string> Types { get; } = new Dictionary<string, string>();

    public bool TakesRawArguments => false;

    public object? Invoke(RobotExecutionContext context, RobotCallArguments arguments) =>
        context.RunUserKeyword(Keyword, EmbeddedValues, arguments);
}
