using Emulator.Robot;

namespace Emulator.Tests.Robot;

/// <summary>Writes suites to a temporary directory and runs them with the fake monitor.</summary>
public sealed class RobotSuiteHarness : IDisposable
{
    public RobotSuiteHarness()
    {
        Directory = Path.Combine(Path.GetTempPath(), "robot-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public List<string> Commands { get; } = new();

    public StringWriter Console { get; } = new();

    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public RobotRunOptions Options()
    {
        var options = new RobotRunOptions
        {
            CommandRunnerFactory = FakeCommandRunner.Factory(Commands),
            Console = Console,
            ResultsDirectory = Path.Combine(Directory, "results"),
        };
        return options;
    }

    public RobotSuiteResult Run(string text, Action<RobotRunOptions>? configure = null, string name = "suite.robot")
    {
        var path = Write(name, text);
        var options = Options();
        configure?.Invoke(options);
        return RobotSuiteRunner.Run(path, options);
    }

    /// <summary>The shipped tests/robot directory, found from the test assembly's location.</summary>
    public static string RepositoryRobotDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "robot");
            if (File.Exists(Path.Combine(candidate, "renode-keywords.robot")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("tests/robot not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, true);
        }
        catch (IOException)
        {
        }
    }
}
