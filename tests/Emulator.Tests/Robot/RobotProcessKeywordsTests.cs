using System.Diagnostics;
using Emulator.Robot;
using NUnit.Framework;

namespace Emulator.Tests.Robot;

/// <summary>`Run Process` (Robot's Process library): results, configuration, and the hard timeout.</summary>
[TestFixture]
public sealed class RobotProcessKeywordsTests
{
    private RobotSuiteHarness harness = null!;

    [SetUp]
    public void CreateHarness() => harness = new RobotSuiteHarness();

    [TearDown]
    public void DisposeHarness() => harness.Dispose();

    private RobotTestResult RunOne(string testCases)
    {
        var result = harness.Run("*** Settings ***\nLibrary    Process\nTest Setup    No Operation\nTest Teardown    No Operation\n\n" + testCases);
        Assert.That(result.Error, Is.Null);
        return result.Tests.Single();
    }

    [Test]
    public void ReturnsExitCodeAndOutputs()
    {
        var test = RunOne("""
            *** Test Cases ***
            Outputs
                ${r}=    Run Process    /bin/sh    -c    echo out; echo second line; echo err >&2; exit 3    timeout=30s
                Should Be Equal As Integers    ${r.rc}    3
                Should Be Equal    ${r.stdout}    out\nsecond line
                Should Be Equal    ${r.stderr}    err
                ${r}=    Run Process    true
                Should Be Equal As Integers    ${r.rc}    0
                Should Be Empty    ${r.stdout}
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
    }

    [Test]
    public void ConfigurationShellCwdEnvStdinAndMergedStderr()
    {
        var test = RunOne($$"""
            *** Test Cases ***
            Configuration
                ${r}=    Run Process    echo $GREETING; pwd; echo oops >&2    shell=True    cwd={{harness.Directory}}    env:GREETING=hello    stderr=STDOUT
                Should Be Equal    ${r.stdout}    hello\n{{harness.Directory}}\noops
                Should Be Empty    ${r.stderr}
                ${r}=    Run Process    cat    stdin=typed text
                Should Be Equal    ${r.stdout}    typed text
                ${r}=    Run Process    cat
                Should Be Empty    ${r.stdout}    the child gets an empty, closed stdin
                ${r}=    Run Process    echo    saved    stdout={{harness.Directory}}/out.txt
                ${text}=    Get File    ${r.stdout_path}
                Should Be Equal    ${text}    saved
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
    }

    [Test]
    public void TimeoutTerminatesOrKillsTheProcess()
    {
        var watch = Stopwatch.StartNew();
        var test = RunOne("""
            *** Test Cases ***
            Timeout
                ${r}=    Run Process    sleep    30    timeout=200ms
                Should Be Equal As Integers    ${r.rc}    -15
                ${r}=    Run Process    /bin/sh    -c    trap '' TERM; sleep 30    timeout=0.2    on_timeout=kill
                Should Be Equal As Integers    ${r.rc}    -9
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)));
    }

    [Test]
    public void TestTimeoutKillsAHungProcess()
    {
        var watch = Stopwatch.StartNew();
        var test = RunOne("""
            *** Test Cases ***
            Hangs
                [Timeout]    1s
                Run Process    sleep    60
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Fail));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public void ErrorsAreReported()
    {
        var test = RunOne("""
            *** Test Cases ***
            Errors
                Run Keyword And Expect Error    Run Process: cannot start 'no-such-program-here'*    Run Process    no-such-program-here
                Run Keyword And Expect Error    Run Process: unsupported configuration 'colour'.    Run Process    true    colour=red
                Run Keyword And Expect Error    *on_timeout=continue is not supported*    Run Process    true    on_timeout=continue
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
    }
}
