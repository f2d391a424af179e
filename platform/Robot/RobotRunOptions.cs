namespace Emulator.Robot;

/// <summary>What to run and how: filters, variables, seed, and where output goes.</summary>
public sealed class RobotRunOptions
{
    /// <summary>`--variable NAME:VALUE` pairs; they override the suites' own variables.</summary>
    public Dictionary<string, string> Variables { get; } = new();

    /// <summary>`--include TAG` patterns: when any is given, only tests with a matching tag run.</summary>
    public List<string> IncludeTags { get; } = new();

    /// <summary>`--exclude TAG` patterns: tests with a matching tag do not run.</summary>
    public List<string> ExcludeTags { get; } = new();

    /// <summary>`--skip TAG` patterns: matching tests are reported as skipped (Renode uses `skipped`).</summary>
    public List<string> SkipTags { get; } = new() { "skipped" };

    /// <summary>`-f PATTERN` test name globs (matched against `Test Name` and `Suite.Test Name`).</summary>
    public List<string> TestNamePatterns { get; } = new();

    /// <summary>Interleaving seed for the emulation, or null.</summary>
    public int? Seed { get; set; }

    public string ResultsDirectory { get; set; } = Path.Combine("output", "tests");

    /// <summary>Path of renode-keywords.robot, or null to look for it next to the suites (tests/robot).</summary>
    public string? RenodeKeywordsPath { get; set; }

    /// <summary>How keywords reach the monitor; null uses <see cref="RenodeKeywords.DefaultCommandRunnerFactory"/>.</summary>
    public Func<Emulation, IRobotCommandRunner>? CommandRunnerFactory { get; set; }

    /// <summary>Where `Log To Console` output goes.</summary>
    public TextWriter? Console { get; set; }

    /// <summary>When set, each failing test writes a replay file here (docs/robot.md, Replay).</summary>
    public string? ReplayDirectory { get; set; }

    /// <summary>
    /// When set (`emu test --trace DIR`), each test's first machine records a Chrome Trace Event timeline into
    /// DIR/Suite.Test[.seedN].json (docs/tracing.md), written when the test ends.
    /// </summary>
    public string? TraceDirectory { get; set; }

    /// <summary>When set, the test's first machine takes its input from this recording (`emu replay`).</summary>
    public Emulator.Terminals.ReplayRecording? Replay { get; set; }

    /// <summary>With <see cref="Replay"/>: receives the replayed console output once the test ends.</summary>
    public Action<byte[]>? ReplayOutput { get; set; }

    /// <summary>Called after each test, for progress output.</summary>
    public Action<RobotTestResult>? TestFinished { get; set; }
}
