namespace Emulator.Robot;

/// <summary>
/// Marks a public method as a keyword. Its name is the method name split into words
/// (`WaitForLineOnUart` → `Wait For Line On Uart`) unless <see cref="Name"/> says otherwise, and its
/// argument names are the C# parameter names, as in Renode.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RobotKeywordAttribute : Attribute
{
    public RobotKeywordAttribute(string documentation = "")
    {
        Documentation = documentation;
    }

    public string? Name { get; set; }

    public string Documentation { get; }

    /// <summary>For run-keyword variants that resolve their own arguments.</summary>
    public bool TakesRawArguments { get; set; }

    /// <summary>
    /// Extra positional arguments are joined with spaces into the first one (Renode's `Execute Command`
    /// overload that lets a long command continue over `...` lines).
    /// </summary>
    public bool JoinsExtraArguments { get; set; }

    /// <summary>The first argument is a variable name and is passed as written (`Set Test Variable  ${x}  1`).</summary>
    public bool TakesVariableName { get; set; }

    /// <summary>Keywords that change the emulation and must be replayed by `Requires` (Renode's Recorder).</summary>
    public bool Recorded { get; set; }
}
