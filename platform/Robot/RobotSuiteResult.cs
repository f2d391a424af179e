namespace Emulator.Robot;

/// <summary>The results of one suite file run (once per seed under `--seeds`).</summary>
public sealed class RobotSuiteResult
{
    public RobotSuiteResult(string name, string path)
    {
        Name = name;
        Path = path;
    }

    public string Name { get; }

    public string Path { get; }

    public int? Seed { get; set; }

    public List<RobotTestResult> Tests { get; } = new();

    public TimeSpan Duration { get; set; }

    /// <summary>A failure of the suite itself (parse error, suite setup/teardown), or null.</summary>
    public string? Error { get; set; }

    public DateTime StartTime { get; set; } = DateTime.Now;
}
