using Emulator.Robot;
using NUnit.Framework;

namespace Emulator.Tests.Robot;

[TestFixture]
public sealed class RobotRunnerTests
{
    private RobotSuiteHarness harness = null!;

    [SetUp]
    public void CreateHarness() => harness = new RobotSuiteHarness();

    [TearDown]
    public void DisposeHarness() => harness.Dispose();

    private string[] ConsoleLines() => harness.Console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Test]
    public void FixturesRunInRobotOrder()
    {
        var result = harness.Run("""
            *** Settings ***
            Suite Setup       Log To Console    suite setup
            Suite Teardown    Log To Console    suite teardown
            Test Setup        Log To Console    test setup
            Test Teardown     Log To Console    test teardown

            *** Test Cases ***
            First
                Log To Console    first
            Second
                [Setup]    Log To Console    own setup
                Log To Console    second
            """);
        Assert.That(result.Tests.Select(t => t.Status), Is.All.EqualTo(RobotTestStatus.Pass));
        Assert.That(ConsoleLines(), Is.EqualTo(new[]
        {
            "suite setup", "test setup", "first", "test teardown", "own setup", "second", "test teardown", "suite teardown",
        }));
    }

    [Test]
    public void SuiteWithoutSettingsGetsRenodeDefaultFixtures()
    {
        var resource = harness.Write("renode-keywords.robot", """
            *** Keywords ***
            Setup
                Log To Console    Setup
            Teardown
                Log To Console    Teardown
            Test Teardown
                Log To Console    Test Teardown
            """);
        var result = harness.Run("""
            *** Test Cases ***
            Only
                Log To Console    body

            *** Keywords ***
            Reset Emulation
                Log To Console    Reset Emulation
            """, o => o.RenodeKeywordsPath = resource);
        Assert.That(result.Tests.Single().Status, Is.EqualTo(RobotTestStatus.Pass), result.Tests.Single().Message);
        Assert.That(ConsoleLines(), Is.EqualTo(new[] { "Setup", "Reset Emulation", "body", "Test Teardown", "Teardown" }));
    }

    [Test]
    public void ClassicHeaderImportsRenodeKeywordsThroughTheVariable()
    {
        var resource = harness.Write("renode-keywords.robot", """
            *** Keywords ***
            Setup
                Log To Console    resource setup
            """);
        var result = harness.Run("""
            *** Settings ***
            Suite Setup     Setup
            Suite Teardown  Teardown
            Test Setup      Reset Emulation
            Test Teardown   Test Teardown
            Resource        ${RENODEKEYWORDS}

            *** Test Cases ***
            T
                Should Be Equal    ${RENODEKEYWORDS}    ${CURDIR}/renode-keywords.robot
            """);
        Assert.That(ConsoleLines(), Is.EqualTo(new[] { "resource setup" }));
        // Teardown and Test Teardown are not in this resource: the runner reports them like Robot would.
        Assert.That(result.Tests.Single().Message, Does.Contain("No keyword with name 'Test Teardown' found."));
        Assert.That(result.Error, Does.Contain("No keyword with name 'Teardown' found."));
    }

    [Test]
    public void ShippedSelfTestSuitePasses()
    {
        var path = Path.Combine(RobotSuiteHarness.RepositoryRobotDirectory(), "runner-selftest.robot");
        var result = RobotSuiteRunner.Run(path, harness.Options());
        Assert.That(result.Error, Is.Null);
        Assert.That(result.Tests, Has.Count.GreaterThanOrEqualTo(7));
        foreach (var test in result.Tests)
        {
            Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), $"{test.Name}: {test.Message}");
        }
    }

    [Test]
    public void UnknownKeywordFailsWithFileAndLine()
    {
        var result = harness.Run("""
            *** Test Cases ***
            T
                Log    fine
                Frobnicate The Board    now
            """);
        var test = result.Tests.Single();
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Fail));
        Assert.That(test.Message, Is.EqualTo($"{Path.Combine(harness.Directory, "suite.robot")}:4: No keyword with name 'Frobnicate The Board' found."));
    }

    [Test]
    public void WrongArgumentsFailWithFileAndLine()
    {
        var result = harness.Run("""
            *** Test Cases ***
            Too Many
                Should Be Empty    ${EMPTY}    msg    extra
            Bad Named
                Create Terminal Tester    sysbus.uart0    timeout=soon
            User Keyword Missing Argument
                Two Args    only one

            *** Keywords ***
            Two Args
                [Arguments]    ${a}    ${b}
                Log    ${a}${b}
            """);
        Assert.That(result.Tests[0].Message, Does.EndWith("suite.robot:3: Keyword 'Should Be Empty' expected 1 to 2 arguments, got 3."));
        Assert.That(result.Tests[1].Message, Does.EndWith("suite.robot:5: Argument 'timeout' got value 'soon' that cannot be converted to float."));
        Assert.That(result.Tests[2].Message, Does.EndWith("suite.robot:7: Keyword 'Two Args' missing value for argument 'b'."));
    }

    [Test]
    public void FailureInsideAKeywordNamesTheInnerLine()
    {
        var result = harness.Run("""
            *** Test Cases ***
            T
                Check Value    2

            *** Keywords ***
            Check Value
                [Arguments]    ${v}
                Should Be Equal As Integers    ${v}    3
            """);
        Assert.That(result.Tests.Single().Message, Does.EndWith("suite.robot:8: 2 != 3"));
    }

    [Test]
    public void UserKeywordDefaultsNamedArgumentsVarargsAndReturn()
    {
        var result = harness.Run("""
            *** Test Cases ***
            T
                ${r}=    Join    a
                Should Be Equal    ${r}    a-lwkt>-
                ${r}=    Join    a    sep=+    prompt=P
                Should Be Equal    ${r}    a+P+
                ${r}=    Join    a    -    b    c    d
                Should Be Equal    ${r}    a-b-c d
                ${r}=    Old Style Return
                Should Be Equal    ${r}    old

            *** Keywords ***
            Join
                [Arguments]    ${first}    ${sep}=-    ${prompt}=lwkt>    @{rest}
                ${tail}=    Catenate    @{rest}
                RETURN    ${first}${sep}${prompt}${sep}${tail}

            Old Style Return
                [Return]    old
                No Operation
            """);
        Assert.That(result.Tests.Single().Status, Is.EqualTo(RobotTestStatus.Pass), result.Tests.Single().Message);
    }

    [Test]
    public void EmbeddedArgumentsInKeywordNames()
    {
        var result = harness.Run("""
            *** Test Cases ***
            T
                Boot On 4 Harts
                Should Be Equal    ${BOOTED}    4

            *** Keywords ***
            Boot On ${harts} Harts
                Set Test Variable    ${BOOTED}    ${harts}
            """);
        Assert.That(result.Tests.Single().Status, Is.EqualTo(RobotTestStatus.Pass), result.Tests.Single().Message);
    }

    [Test]
    public void TemplatedTestRunsEveryRowAndCombinesFailures()
    {
        var result = harness.Run("""
            *** Test Cases ***
            Sums
                [Template]    Sum Is
                1    1    2
                1    1    3
                2    2    4
                2    2    5

            *** Keywords ***
            Sum Is
                [Arguments]    ${a}    ${b}    ${sum}
                Log To Console    row ${a} ${b}
                ${actual}=    Evaluate    ${a} + ${b}
                Should Be Equal As Integers    ${actual}    ${sum}
            """);
        var test = result.Tests.Single();
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Fail));
        Assert.That(test.Message, Does.StartWith("Several failures occurred:"));
        Assert.That(test.Message, Does.Contain("1) ").And.Contain("2 != 3").And.Contain("2) ").And.Contain("4 != 5"));
        Assert.That(ConsoleLines(), Has.Length.EqualTo(4));
    }

    [Test]
    public void SuiteLevelTestTemplate()
    {
        var result = harness.Run("""
            *** Settings ***
            Test Template    Should Be Equal

            *** Test Cases ***
            Equal Strings    abc    abc
            Different        abc    abd
            """);
        Assert.That(result.Tests.Select(t => t.Status), Is.EqualTo(new[] { RobotTestStatus.Pass, RobotTestStatus.Fail }));
        Assert.That(result.Tests[1].Message, Does.EndWith("abc != abd"));
    }

    [Test]
    public void SetupFailureSkipsBodyButRunsTeardown()
    {
        var result = harness.Run("""
            *** Test Cases ***
            T
                [Setup]    Fail    setup broke
                [Teardown]    Log To Console    teardown ran
                Log To Console    body ran
            """);
        var test = result.Tests.Single();
        Assert.That(test.Message, Does.StartWith("Setup failed:\n").And.EndWith("setup broke"));
        Assert.That(ConsoleLines(), Is.EqualTo(new[] { "teardown ran" }));
    }

    [Test]
    public void TeardownRunsEveryStepAndItsFailureFailsAPassingTest()
    {
        var result = harness.Run("""
            *** Test Cases ***
            T
                [Teardown]    Cleanup
                No Operation

            *** Keywords ***
            Cleanup
                Fail    first cleanup step
                Log To Console    second cleanup step
            """);
        var test = result.Tests.Single();
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Fail));
        Assert.That(test.Message, Does.StartWith("Teardown failed:\n").And.EndWith("first cleanup step"));
        Assert.That(ConsoleLines(), Is.EqualTo(new[] { "second cleanup step" }));
    }

    [Test]
    public void TeardownSeesTheTestStatus()
    {
        var result = harness.Run("""
            *** Test Cases ***
            Failing
                [Teardown]    Run Keyword If Test Failed    Log To Console    saw ${TEST STATUS}
                Fail    boom
            Passing
                [Teardown]    Run Keyword If Test Failed    Log To Console    should not print
                No Operation
            """);
        Assert.That(result.Tests.Select(t => t.Status), Is.EqualTo(new[] { RobotTestStatus.Fail, RobotTestStatus.Pass }));
        Assert.That(ConsoleLines(), Is.EqualTo(new[] { "saw FAIL" }));
    }

    [Test]
    public void SuiteSetupFailureFailsEveryTest()
    {
        var result = harness.Run("""
            *** Settings ***
            Suite Setup    Fail    no board

            *** Test Cases ***
            A
                No Operation
            B
                No Operation
            """);
        Assert.That(result.Tests.Select(t => t.Status), Is.All.EqualTo(RobotTestStatus.Fail));
        Assert.That(result.Tests[1].Message, Does.StartWith("Parent suite setup failed:\n").And.EndWith("no board"));
    }

    [Test]
    public void SuiteTeardownFailureFailsPassedTests()
    {
        var result = harness.Run("""
            *** Settings ***
            Suite Teardown    Fail    cleanup failed

            *** Test Cases ***
            A
                No Operation
            """);
        Assert.That(result.Tests.Single().Status, Is.EqualTo(RobotTestStatus.Fail));
        Assert.That(result.Tests.Single().Message, Does.StartWith("Parent suite teardown failed:"));
    }

    [Test]
    public void TestTimeoutStopsALongStep()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = harness.Run("""
            *** Test Cases ***
            Slow
                [Timeout]    300ms
                Sleep    20s
            """);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(result.Tests.Single().Message, Does.EndWith("suite.robot:4: Test timeout 300ms exceeded."));
    }

    [Test]
    public void SkipKeywordAndSkippedTag()
    {
        var result = harness.Run("""
            *** Test Cases ***
            By Keyword
                Skip    not on this board
                Fail    never reached
            By Tag
                [Tags]    skipped
                Fail    never reached
            """);
        Assert.That(result.Tests.Select(t => t.Status), Is.All.EqualTo(RobotTestStatus.Skip));
        Assert.That(result.Tests[0].Message, Is.EqualTo("not on this board"));
        Assert.That(result.Tests[1].Message, Is.EqualTo("Test skipped using 'skipped' tag."));
    }

    [Test]
    public void TagFiltersAndNamePatternsSelectTests()
    {
        const string suite = """
            *** Settings ***
            Default Tags    fast

            *** Test Cases ***
            Boot One
                [Tags]    smp    slow
                No Operation
            Boot Two
                No Operation
            Shell Help
                [Tags]    shell
                No Operation
            """;
        Assert.That(harness.Run(suite, o => o.IncludeTags.Add("SMP")).Tests.Select(t => t.Name), Is.EqualTo(new[] { "Boot One" }));
        Assert.That(harness.Run(suite, o => o.ExcludeTags.Add("sl*")).Tests.Select(t => t.Name), Is.EqualTo(new[] { "Boot Two", "Shell Help" }));
        Assert.That(harness.Run(suite, o => o.IncludeTags.Add("fast")).Tests.Select(t => t.Name), Is.EqualTo(new[] { "Boot Two" }));
        Assert.That(harness.Run(suite, o => o.TestNamePatterns.Add("*boot*")).Tests.Select(t => t.Name), Is.EqualTo(new[] { "Boot One", "Boot Two" }));
        Assert.That(harness.Run(suite, o => o.IncludeTags.Add("smpANDslow")).Tests.Select(t => t.Name), Is.EqualTo(new[] { "Boot One" }));
        Assert.That(harness.Run(suite, o => o.IncludeTags.Add("shellORfast")).Tests.Select(t => t.Name), Is.EqualTo(new[] { "Boot Two", "Shell Help" }));
        Assert.That(harness.Run(suite, o => o.ExcludeTags.Add("*NOTshell")).Tests.Select(t => t.Name), Is.EqualTo(new[] { "Shell Help" }));
        Assert.That(harness.Run(suite, o => o.TestNamePatterns.Add("Suite.Shell*")).Tests.Select(t => t.Name), Is.EqualTo(new[] { "Shell Help" }));
    }

    [Test]
    public void CommandLineVariablesOverrideSuiteVariables()
    {
        const string suite = """
            *** Variables ***
            ${HARTS}    4

            *** Test Cases ***
            T
                Should Be Equal    ${HARTS}    8
            """;
        Assert.That(harness.Run(suite).Tests.Single().Status, Is.EqualTo(RobotTestStatus.Fail));
        Assert.That(harness.Run(suite, o => o.Variables["HARTS"] = "8").Tests.Single().Status, Is.EqualTo(RobotTestStatus.Pass));
    }

    [Test]
    public void SuiteVariablesPersistAcrossTestsButTestVariablesDoNot()
    {
        var result = harness.Run("""
            *** Test Cases ***
            First
                Set Suite Variable    ${SHARED}    yes
                Set Test Variable    ${PRIVATE}    mine
            Second
                Should Be Equal    ${SHARED}    yes
                Variable Should Not Exist    ${PRIVATE}
            """);
        Assert.That(result.Tests.Select(t => t.Status), Is.All.EqualTo(RobotTestStatus.Pass), string.Join("\n", result.Tests.Select(t => t.Message)));
    }

    [Test]
    public void WhileLoopWithLimitAndExpectedError()
    {
        var result = harness.Run("""
            *** Test Cases ***
            T
                ${n}=    Set Variable    ${0}
                WHILE    ${n} < 3
                    ${n}=    Evaluate    ${n} + 1
                END
                Should Be Equal    ${n}    ${3}
                Run Keyword And Expect Error    *limit of 2 iterations*    Endless
                ${r}=    Run Keyword And Expect Error    GLOB:*not equal*    Should Be Equal    1    2    msg=not equal
                Should Be Equal    ${r}    not equal: 1 != 2

            *** Keywords ***
            Endless
                WHILE    True    limit=2
                    No Operation
                END
            """);
        Assert.That(result.Tests.Single().Status, Is.EqualTo(RobotTestStatus.Pass), result.Tests.Single().Message);
    }

    [Test]
    public void RunKeywordIfWithElse()
    {
        var result = harness.Run("""
            *** Test Cases ***
            T
                ${v}=    Run Keyword If    1 > 2    Set Variable    a    ELSE IF    2 > 1    Set Variable    b    ELSE    Set Variable    c
                Should Be Equal    ${v}    b
            """);
        Assert.That(result.Tests.Single().Status, Is.EqualTo(RobotTestStatus.Pass), result.Tests.Single().Message);
    }

    [Test]
    public void KeywordNamesIgnoreCaseSpacesUnderscoresAndLibraryPrefix()
    {
        var result = harness.Run("""
            *** Test Cases ***
            T
                should_be_equal    a    a
                SHOULD BE EQUAL    b    b
                ShouldBeEqual    c    c
                BuiltIn.Should Be Equal    d    d
                MyKeyword
                my_keyword

            *** Keywords ***
            My Keyword
                Log To Console    mine
            """);
        Assert.That(result.Tests.Single().Status, Is.EqualTo(RobotTestStatus.Pass), result.Tests.Single().Message);
        Assert.That(ConsoleLines(), Is.EqualTo(new[] { "mine", "mine" }));
    }

    [Test]
    public void EnumerateZipContinueAndGlobalVariables()
    {
        var result = harness.Run("""
            *** Test Cases ***
            Loops
                @{names}=    Create List    a    b    c
                @{values}=    Create List    1    2    3
                ${text}=    Set Variable    ${EMPTY}
                FOR    ${index}    ${name}    IN ENUMERATE    @{names}
                    IF    '${name}' == 'b'    CONTINUE
                    ${text}=    Catenate    SEPARATOR=    ${text}    ${index}${name}
                END
                Should Be Equal    ${text}    0a2c
                FOR    ${name}    ${value}    IN ZIP    ${names}    ${values}
                    ${text}=    Catenate    SEPARATOR=    ${text}    ${name}=${value}
                END
                Should Be Equal    ${text}    0a2ca=1b=2c=3
                Set Global Variable    ${EVERYWHERE}    yes
            Sees Global
                Should Be Equal    ${EVERYWHERE}    yes
            """);
        Assert.That(result.Tests.Select(t => t.Status), Is.All.EqualTo(RobotTestStatus.Pass), string.Join("\n", result.Tests.Select(t => t.Message)));
    }

    [Test]
    public void RangeOverAStringCountGivesIntegers()
    {
        var result = harness.Run("""
            *** Test Cases ***
            T
                ${names}=    Set Variable    ${EMPTY}
                FOR    ${hart}    IN RANGE    3
                    ${names}=    Set Variable    ${names}cpu${hart}
                END
                Should Be Equal    ${names}    cpu0cpu1cpu2
            """);
        Assert.That(result.Tests.Single().Status, Is.EqualTo(RobotTestStatus.Pass), result.Tests.Single().Message);
    }

    [Test]
    public void BuiltInCollectionsStringsAndConversions()
    {
        var result = harness.Run("""
            *** Test Cases ***
            T
                &{d}=    Create Dictionary    harts=4    uart=uart0
                Should Be Equal    ${d.harts}    4
                Length Should Be    ${d}    2
                ${parts}=    Split String    TEST a: PASS
                Should Be Equal    ${parts}[1]    a:
                ${n}=    Convert To Integer    ff    16
                Should Be Equal    ${n}    ${255}
                ${h}=    Convert To Hex    255    prefix=0x    lowercase=yes
                Should Be Equal    ${h}    0xff
                ${lines}=    Get Lines Matching Regexp    TEST a: PASS\nTEST b: FAIL\nTESTS: 1 passed    TEST .*: FAIL
                Should Be Equal    ${lines}    TEST b: FAIL
                ${m}=    Get Regexp Matches    BENCH x=1 y=22    =(\\d+)    1
                Should Be Equal    ${m}    ${{['1', '22']}}
                Should Contain X Times    abcabc    bc    2
                Should Start With    lwkt> test    lwkt>
                Should Match    TEST ipiq: PASS    TEST *: PASS
                Should Be Equal    ${{ 7 // 2 }}    ${3}
            """);
        Assert.That(result.Tests.Single().Status, Is.EqualTo(RobotTestStatus.Pass), result.Tests.Single().Message);
    }

    [Test]
    public void WaitUntilKeywordSucceedsRetries()
    {
        var result = harness.Run("""
            *** Variables ***
            ${TRIES}    ${0}

            *** Test Cases ***
            Eventually
                Wait Until Keyword Succeeds    5x    10ms    Third Time Lucky
                Should Be Equal    ${TRIES}    ${3}
            Never
                Wait Until Keyword Succeeds    2x    1ms    Fail    nope

            *** Keywords ***
            Third Time Lucky
                Set Suite Variable    ${TRIES}    ${TRIES + 1}
                Should Be True    ${TRIES} >= 3
            """);
        Assert.That(result.Tests[0].Status, Is.EqualTo(RobotTestStatus.Pass), result.Tests[0].Message);
        Assert.That(result.Tests[1].Message, Does.EndWith("Keyword 'Fail' failed after retrying 2 times. The last error was: nope"));
    }

    [Test]
    public void SkipIfAndPassExecution()
    {
        var result = harness.Run("""
            *** Test Cases ***
            Skipped Conditionally
                Skip If    1 < 2    small board
                Fail    not reached
            Passed Early
                Pass Execution    nothing to check here
                Fail    not reached
            """);
        Assert.That(result.Tests.Select(t => t.Status), Is.EqualTo(new[] { RobotTestStatus.Skip, RobotTestStatus.Pass }));
        Assert.That(result.Tests[0].Message, Is.EqualTo("small board"));
    }

    [Test]
    public void UserKeywordKwargsAndTeardown()
    {
        var result = harness.Run("""
            *** Test Cases ***
            T
                ${r}=    Describe    board    harts=4    uart=uart0
                Should Be Equal    ${r}    board: harts=4 uart=uart0
                Run Keyword And Expect Error    *inner failure*    Failing With Cleanup
                Run Keyword And Expect Error    *got multiple values for argument 'a'*    Plain    1    a=2

            *** Keywords ***
            Describe
                [Arguments]    ${name}    &{options}
                RETURN    ${name}: harts=${options}[harts] uart=${options.uart}

            Failing With Cleanup
                [Teardown]    Log To Console    cleanup ran
                Fail    inner failure

            Plain
                [Arguments]    ${a}=1
                No Operation
            """);
        Assert.That(result.Tests.Single().Status, Is.EqualTo(RobotTestStatus.Pass), result.Tests.Single().Message);
        Assert.That(ConsoleLines(), Is.EqualTo(new[] { "cleanup ran" }));
    }

    [Test]
    public void ParseErrorIsASuiteError()
    {
        var result = harness.Run("*** Test Cases ***\nT\n    FOR    ${i}    IN    1\n");
        Assert.That(result.Error, Does.EndWith("suite.robot:3: FOR has no closing END"));
    }

    [Test]
    public void MissingResourceIsASuiteErrorWithLocation()
    {
        var result = harness.Run("""
            *** Settings ***
            Resource    nowhere.robot

            *** Test Cases ***
            T
                No Operation
            """);
        Assert.That(result.Tests.Single().Status, Is.EqualTo(RobotTestStatus.Fail));
        Assert.That(result.Tests.Single().Message, Does.Contain("suite.robot:2: resource file"));
    }
}
