namespace Emulator.Robot;

/// <summary>The outcome of one test: status, failure message (with `file:line`), duration and context for reports.</summary>
public sealed class RobotTestResult
{
    public RobotTestResult(string suiteName, string name, RobotSourceLocation location)
    {
        SuiteName = suiteName;
        Name = name;
        Location = location;
    }

    public string SuiteName { get; }

    public string Name { get; }

    public RobotSourceLocation Location { get; }

    public RobotTestStatus Status { get; set; } = RobotTestStatus.Pass;

    public string Message { get; set; } = "";

    public TimeSpan Duration { get; set; }

    public IReadOnlyList<string> Tags { get; set; } = Array.Empty<string>();

    /// <summary>The interleaving seed the test ran under (`--seeds`), to replay a failure with `--seed`.</summary>
    public int? Seed { get; set; }

    /// <summary>Last lines the guest printed before the failure.</summary>
    public IReadOnlyList<string> UartTail { get; set; } = Array.Empty<string>();

    /// <summary>The replay file written for this failed test (`emu replay FILE`), or null.</summary>
    public string? ReplayFile { get; set; }

    /// <summary>With `emu test --trace`: what the test's timeline file holds (path, events, limit), or null.</summary>
    public string? TraceSummary { get; set; }

    /// <summary>Messages the test logged (`Log`).</summary>
    public IReadOnlyList<string> Messages { get; set; } = Array.Empty<string>();

    public string FullName => $"{SuiteName}.{Name}";
}
