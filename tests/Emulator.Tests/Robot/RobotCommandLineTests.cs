using System.Xml.Linq;
using Emulator.Robot;
using NUnit.Framework;

namespace Emulator.Tests.Robot;

[TestFixture]
public sealed class RobotCommandLineTests
{
    private const string PassingSuite = """
        *** Settings ***
        Test Setup    No Operation

        *** Test Cases ***
        Adds Up
            Should Be Equal As Integers    ${2}    2
        Tagged Slow
            [Tags]    slow
            No Operation
        """;

    private const string FailingSuite = """
        *** Test Cases ***
        Fails
            Should Be Equal    1    2
        Skipped
            Skip    later
        """;

    private RobotSuiteHarness harness = null!;

    [SetUp]
    public void CreateHarness() => harness = new RobotSuiteHarness();

    [TearDown]
    public void DisposeHarness() => harness.Dispose();

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = RobotCommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Results => Path.Combine(harness.Directory, "results");

    private static string LastLine(string text) => text.TrimEnd().Split('\n').Last().Trim();

    [Test]
    public void PassingSuitePrintsOneLinePerTestAndSummary()
    {
        var suite = harness.Write("passing.robot", PassingSuite);
        var (code, output, _) = Run(suite, "-r", Results);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Match(@"(?m)^PASS  Passing\.Adds Up  \(\d+\.\d\d s\)"));
        Assert.That(output, Does.Contain("PASS  Passing.Tagged Slow"));
        Assert.That(LastLine(output), Is.EqualTo("2 passed, 0 failed"));
    }

    [Test]
    public void FailureIsReportedWithMessageSkipsCountedAndNonZeroExit()
    {
        var suite = harness.Write("failing.robot", FailingSuite);
        var (code, output, _) = Run(suite, "-r", Results);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("FAIL  Failing.Fails"));
        Assert.That(output, Does.Contain("failing.robot:3: 1 != 2"));
        Assert.That(output, Does.Contain("SKIP  Failing.Skipped"));
        Assert.That(LastLine(output), Is.EqualTo("0 passed, 1 failed, 1 skipped"));
    }

    [Test]
    public void TagAndNameFiltersApply()
    {
        var suite = harness.Write("passing.robot", PassingSuite);
        Assert.That(LastLine(Run(suite, "-r", Results, "--exclude", "slow").Out), Is.EqualTo("1 passed, 0 failed"));
        Assert.That(LastLine(Run(suite, "-r", Results, "--include", "slow").Out), Is.EqualTo("1 passed, 0 failed"));
        Assert.That(LastLine(Run(suite, "-r", Results, "-f", "*adds*").Out), Is.EqualTo("1 passed, 0 failed"));
    }

    [Test]
    public void VariableOptionReachesTheSuite()
    {
        var suite = harness.Write("vars.robot", """
            *** Test Cases ***
            T
                Should Be Equal    ${BOARD}    board-8.repl
            """);
        Assert.That(Run(suite, "-r", Results).Code, Is.EqualTo(1));
        Assert.That(Run(suite, "-r", Results, "--variable", "BOARD:board-8.repl").Code, Is.EqualTo(0));
    }

    [Test]
    public void SeedsRunEverySuitePerSeedAndReportFailingSeeds()
    {
        var suite = harness.Write("failing.robot", """
            *** Test Cases ***
            Odd Seeds Fail
                Should Be True    ${SEED} % 2 == 0
            """);
        var (code, output, _) = Run(suite, "-r", Results, "--seeds", "3");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("FAIL  Failing.Odd Seeds Fail [seed 1]"));
        Assert.That(output, Does.Contain("PASS  Failing.Odd Seeds Fail [seed 2]"));
        Assert.That(output, Does.Contain("Replay with: --seed 3"));
        Assert.That(output, Does.Contain("Failing seeds: 1, 3"));
        Assert.That(LastLine(output), Is.EqualTo("1 passed, 2 failed"));
        var (replayCode, replay, _) = Run(suite, "-r", Results, "--seed", "2");
        Assert.That(replayCode, Is.EqualTo(0));
        Assert.That(replay, Does.Contain("[seed 2]"));
    }

    [Test]
    public void JUnitXmlDescribesEveryTest()
    {
        var passing = harness.Write("passing.robot", PassingSuite);
        var failing = harness.Write("failing.robot", FailingSuite);
        Run(passing, failing, "-r", Results);
        var document = XDocument.Load(Path.Combine(Results, "junit.xml"));
        var root = document.Root!;
        Assert.That(root.Name.LocalName, Is.EqualTo("testsuites"));
        Assert.That((int)root.Attribute("tests")!, Is.EqualTo(4));
        Assert.That((int)root.Attribute("failures")!, Is.EqualTo(1));
        Assert.That((int)root.Attribute("skipped")!, Is.EqualTo(1));
        var cases = root.Descendants("testcase").ToList();
        Assert.That(cases.Select(c => (string)c.Attribute("name")!), Is.EquivalentTo(new[] { "Adds Up", "Tagged Slow", "Fails", "Skipped" }));
        var failure = cases.Single(c => (string)c.Attribute("name")! == "Fails").Element("failure")!;
        Assert.That((string)failure.Attribute("message")!, Does.Contain("failing.robot:3:"));
        Assert.That(cases.Single(c => (string)c.Attribute("name")! == "Skipped").Element("skipped"), Is.Not.Null);
    }

    [Test]
    public void TestsYamlWithGroupsAndParallelJobs()
    {
        harness.Write("a.robot", PassingSuite);
        harness.Write("b.robot", PassingSuite);
        harness.Write("c.robot", PassingSuite);
        var yaml = harness.Write("tests.yaml", """
            - a.robot
            - group:
              - b.robot
              - c.robot
            - ../unit-tests/Emulator.Tests.csproj
            """);
        var groups = RobotTestsYaml.Load(yaml);
        Assert.That(groups.Select(g => g.Select(Path.GetFileName)), Is.EqualTo(new[] { new[] { "a.robot" }, new[] { "b.robot", "c.robot" } }));
        var (code, output, _) = Run("-t", yaml, "-j", "2", "-r", Results);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(LastLine(output), Is.EqualTo("6 passed, 0 failed"));
    }

    [Test]
    public void TestsYamlInclude()
    {
        Directory.CreateDirectory(Path.Combine(harness.Directory, "more"));
        harness.Write(Path.Combine("more", "d.robot"), PassingSuite);
        harness.Write(Path.Combine("more", "inner.yaml"), "- d.robot\n");
        var yaml = harness.Write("tests.yaml", "- !include {path: more/inner.yaml}\n");
        var groups = RobotTestsYaml.Load(yaml);
        Assert.That(groups.Single().Single(), Does.EndWith(Path.Combine("more", "d.robot")));
    }

    [Test]
    public void InvalidTestsYamlNamesFileAndLine()
    {
        var yaml = harness.Write("tests.yaml", "- a.robot\n- {unknown: 1}\n");
        var (code, _, error) = Run("-t", yaml);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("tests.yaml:2:"));
    }

    [Test]
    public void UsageErrorsExitWithTwo()
    {
        Assert.That(Run().Code, Is.EqualTo(2));
        Assert.That(Run("--bogus").Err, Does.Contain("unknown option --bogus"));
        Assert.That(Run("missing.robot").Err, Does.Contain("'missing.robot' does not exist"));
        Assert.That(Run("-j", "zero", "x.robot").Err, Does.Contain("-j needs a positive integer"));
        Assert.That(Run("--help").Code, Is.EqualTo(0));
    }

    [Test]
    public void SuiteParseErrorCountsAsFailure()
    {
        var suite = harness.Write("broken.robot", "*** Test Cases ***\nT\n    IF    1\n");
        var (code, output, _) = Run(suite, "-r", Results);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("ERROR Broken:").And.Contain("broken.robot:3: IF has no closing END"));
        Assert.That(LastLine(output), Is.EqualTo("0 passed, 1 failed"));
    }

    [Test]
    public void FailureShowsLastUartLines()
    {
        var suite = harness.Write("uart.robot", """
            *** Test Cases ***
            Wrong Line
                Execute Command    mach create
                Create Terminal Tester    sysbus.uart0
                Wait For Line On Uart    no such line    timeout=1
            """);
        var stdout = new StringWriter();
        var options = new List<string> { suite, "-r", Results };
        var previous = RenodeKeywords.DefaultCommandRunnerFactory;
        RenodeKeywords.DefaultCommandRunnerFactory = FakeCommandRunner.Factory(new List<string>());
        try
        {
            var code = RobotCommandLine.Run(options.ToArray(), stdout, new StringWriter());
            Assert.That(code, Is.EqualTo(1));
        }
        finally
        {
            RenodeKeywords.DefaultCommandRunnerFactory = previous;
        }
        Assert.That(stdout.ToString(), Does.Contain("Last UART lines:").And.Contain("| LWKT booting"));
    }
}
