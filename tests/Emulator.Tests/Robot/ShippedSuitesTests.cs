using Emulator.Robot;
using NUnit.Framework;

namespace Emulator.Tests.Robot;

/// <summary>The suites in tests/robot: they parse, tests.yaml lists existing files, and (with a built guest) boot passes.</summary>
[TestFixture]
public sealed class ShippedSuitesTests
{
    private static string RobotDirectory => RobotSuiteHarness.RepositoryRobotDirectory();

    [Test]
    public void EveryShippedRobotFileParses()
    {
        var files = Directory.EnumerateFiles(RobotDirectory, "*.robot").ToList();
        Assert.That(files, Has.Count.GreaterThanOrEqualTo(6));
        foreach (var file in files)
        {
            Assert.DoesNotThrow(() => RobotParser.ParseFile(file), file);
        }
    }

    [Test]
    public void TestsYamlListsExistingSuitesWithTests()
    {
        var groups = RobotTestsYaml.Load(Path.Combine(RobotDirectory, "tests.yaml"));
        var suites = groups.SelectMany(g => g).ToList();
        Assert.That(suites.Select(Path.GetFileName), Is.SupersetOf(new[]
        {
            "runner-selftest.robot", "boot.robot", "lwkt-tests.robot", "shell.robot",
            "panic.robot", "monitor.robot", "gdb.robot", "emulator-only.robot",
        }));
        foreach (var suite in suites)
        {
            Assert.That(RobotParser.ParseFile(suite).TestCases, Is.Not.Empty, suite);
        }
        var withTests = Directory.EnumerateFiles(RobotDirectory, "*.robot").Where(f => RobotParser.ParseFile(f).TestCases.Count > 0);
        Assert.That(suites.Select(Path.GetFullPath), Is.SupersetOf(withTests.Select(Path.GetFullPath)), "every suite is in tests.yaml");
    }

    [TestCase("gdb.robot")]
    [TestCase("emulator-only.robot")]
    public void SuitesOfEmulatorFeaturesAreTaggedEmulatorOnly(string name)
    {
        // renode-test runs them with `--exclude emulator-only` (docs/robot.md).
        var suite = RobotParser.ParseFile(Path.Combine(RobotDirectory, name));
        foreach (var test in suite.TestCases)
        {
            var tags = suite.ForceTags.Concat(test.Tags ?? suite.DefaultTags);
            Assert.That(tags, Does.Contain("emulator-only"), $"{name}: {test.Name}");
        }
    }

    [Test]
    public void BootSuitePassesWithTheBuiltGuest()
    {
        var elf = Path.Combine(RobotDirectory, "..", "..", "guest", "build", "lwkt.elf");
        if (!File.Exists(elf))
        {
            Assert.Ignore("guest/build/lwkt.elf is not built (make -C guest)");
        }
        var options = new RobotRunOptions { ResultsDirectory = Path.Combine(Path.GetTempPath(), "robot-shipped-results") };
        options.ExcludeTags.Add("smp-large");
        var result = RobotSuiteRunner.Run(Path.Combine(RobotDirectory, "boot.robot"), options);
        Assert.That(result.Error, Is.Null);
        Assert.That(result.Tests, Has.Count.EqualTo(4));
        foreach (var test in result.Tests)
        {
            Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), $"{test.Name}: {test.Message}\n{string.Join("\n", test.UartTail)}");
        }
    }
}
