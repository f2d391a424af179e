namespace Emulator.Robot;

/// <summary>A keyword the runner and the Remote server can call: a C# library method or a user keyword.</summary>
public interface IRobotKeyword
{
    string Name { get; }

    IReadOnlyList<RobotArgumentSpec> Arguments { get; }

    string Documentation { get; }

    IReadOnlyList<string> Tags { get; }

    /// <summary>Argument name → Robot type name (`int`, `float`, `bool`, `str`) for the Remote protocol.</summary>
    IReadOnlyDictionary<string, string> Types { get; }

    /// <summary>
    /// Run-keyword variants (`Run Keyword`, `Run Keyword And Expect Error`, ...) take their cells unresolved,
    /// because the keyword they run resolves its own arguments.
    /// </summary>
    bool TakesRawArguments { get; }

    object? Invoke(RobotExecutionContext context, RobotCallArguments arguments);
}
