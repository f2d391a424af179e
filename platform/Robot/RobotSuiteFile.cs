namespace Emulator.Robot;

/// <summary>A parsed `.robot` suite or resource file.</summary>
public sealed class RobotSuiteFile
{
    public RobotSuiteFile(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Suite name as Robot derives it from the file name: `boot_smp.robot` → `Boot Smp`.</summary>
    public string Name => RobotNames.SuiteNameFromPath(Path);

    /// <summary>True when the file has a `*** Settings ***` section (else Renode's default fixtures apply).</summary>
    public bool HasSettingsSection { get; set; }

    public string Documentation { get; set; } = "";

    public RobotFixture? SuiteSetup { get; set; }

    public RobotFixture? SuiteTeardown { get; set; }

    public RobotFixture? TestSetup { get; set; }

    public RobotFixture? TestTeardown { get; set; }

    public string? TestTemplate { get; set; }

    public string? TestTimeout { get; set; }

    public List<string> DefaultTags { get; } = new();

    public List<string> ForceTags { get; } = new();

    public List<RobotImport> Imports { get; } = new();

    public List<RobotVariableDefinition> Variables { get; } = new();

    public List<RobotTestCase> TestCases { get; } = new();

    public List<RobotUserKeyword> Keywords { get; } = new();
}
