using Emulator.Robot;
using NUnit.Framework;

namespace Emulator.Tests.Robot;

[TestFixture]
public sealed class RobotParserTests
{
    private static RobotSuiteFile Parse(string text) => RobotParser.Parse(text, "suite.robot");

    [Test]
    public void SettingsSectionIsRead()
    {
        var suite = Parse("""
            *** Settings ***
            Documentation     Boots the board
            ...               on many harts.
            Suite Setup       Setup
            Suite Teardown    Teardown
            Test Setup        Reset Emulation
            Test Teardown     Test Teardown
            Resource          ${RENODEKEYWORDS}
            Library           String
            Default Tags      smp    boot
            Force Tags        lwkt
            Test Timeout      2 minutes
            Test Template     Check
            """);
        Assert.That(suite.HasSettingsSection, Is.True);
        Assert.That(suite.Documentation, Is.EqualTo("Boots the board on many harts."));
        Assert.That(suite.SuiteSetup!.Step!.Name, Is.EqualTo("Setup"));
        Assert.That(suite.SuiteTeardown!.Step!.Name, Is.EqualTo("Teardown"));
        Assert.That(suite.TestSetup!.Step!.Name, Is.EqualTo("Reset Emulation"));
        Assert.That(suite.TestTeardown!.Step!.Name, Is.EqualTo("Test Teardown"));
        Assert.That(suite.Imports.Select(i => (i.Kind, i.Name)), Is.EqualTo(new[] { (RobotImportKind.Resource, "${RENODEKEYWORDS}"), (RobotImportKind.Library, "String") }));
        Assert.That(suite.DefaultTags, Is.EqualTo(new[] { "smp", "boot" }));
        Assert.That(suite.ForceTags, Is.EqualTo(new[] { "lwkt" }));
        Assert.That(suite.TestTimeout, Is.EqualTo("2 minutes"));
        Assert.That(suite.TestTemplate, Is.EqualTo("Check"));
    }

    [Test]
    public void SuiteWithoutSettingsSectionIsMarked()
    {
        var suite = Parse("""
            *** Test Cases ***
            T
                Log    x
            """);
        Assert.That(suite.HasSettingsSection, Is.False);
        Assert.That(suite.SuiteSetup, Is.Null);
    }

    [Test]
    public void NoneDisablesAFixture()
    {
        var suite = Parse("""
            *** Settings ***
            Test Setup    NONE
            """);
        Assert.That(suite.TestSetup, Is.Not.Null);
        Assert.That(suite.TestSetup!.Step, Is.Null);
    }

    [Test]
    public void VariablesSectionKeepsKindsAndValues()
    {
        var suite = Parse("""
            *** Variables ***
            ${UART}          sysbus.uart0
            ${PROMPT} =      lwkt>
            @{HARTS}         1    2    4
            &{BOARD}         harts=4    ram=128
            """);
        Assert.That(suite.Variables.Select(v => v.Name), Is.EqualTo(new[] { "${UART}", "${PROMPT}", "@{HARTS}", "&{BOARD}" }));
        Assert.That(suite.Variables[2].Values, Is.EqualTo(new[] { "1", "2", "4" }));
        Assert.That(suite.Variables[3].Values, Is.EqualTo(new[] { "harts=4", "ram=128" }));
    }

    [Test]
    public void TestCaseSettingsAreRead()
    {
        var suite = Parse("""
            *** Test Cases ***
            Boots
                [Documentation]    checks the boot
                [Tags]    smp    slow
                [Setup]    Prepare    4
                [Teardown]    NONE
                [Timeout]    30s
                [Template]    Check Harts
                1
                2
            """);
        var test = suite.TestCases.Single();
        Assert.That(test.Name, Is.EqualTo("Boots"));
        Assert.That(test.Documentation, Is.EqualTo("checks the boot"));
        Assert.That(test.Tags, Is.EqualTo(new[] { "smp", "slow" }));
        Assert.That(test.Setup!.Step!.Name, Is.EqualTo("Prepare"));
        Assert.That(test.Setup.Step.Arguments, Is.EqualTo(new[] { "4" }));
        Assert.That(test.Teardown!.Step, Is.Null);
        Assert.That(test.Timeout, Is.EqualTo("30s"));
        Assert.That(test.Template, Is.EqualTo("Check Harts"));
        Assert.That(test.Body.Cast<RobotKeywordStep>().Select(s => s.Cells[0]), Is.EqualTo(new[] { "1", "2" }));
    }

    [Test]
    public void KeywordCallsWithAssignmentsAndContinuation()
    {
        var suite = Parse("""
            *** Test Cases ***
            T
                ${a}    ${b}=    Get Two
                Execute Command    sysbus WriteDoubleWord
                ...    0x1000    0x5
                Log    done    # a comment
            """);
        var steps = suite.TestCases[0].Body.Cast<RobotKeywordStep>().ToList();
        Assert.That(steps[0].Assign, Is.EqualTo(new[] { "${a}", "${b}" }));
        Assert.That(steps[0].Name, Is.EqualTo("Get Two"));
        Assert.That(steps[1].Arguments, Is.EqualTo(new[] { "sysbus WriteDoubleWord", "0x1000", "0x5" }));
        Assert.That(steps[1].Location.Line, Is.EqualTo(4));
        Assert.That(steps[2].Arguments, Is.EqualTo(new[] { "done" }));
    }

    [Test]
    public void TabsAndPipesSeparateCells()
    {
        var suite = Parse("*** Test Cases ***\nT\n\tLog\tone\n| | Log | two |\n");
        var steps = suite.TestCases[0].Body.Cast<RobotKeywordStep>().ToList();
        Assert.That(steps.Select(s => s.Arguments[0]), Is.EqualTo(new[] { "one", "two" }));
    }

    [Test]
    public void SingleSpacesStayInsideACell()
    {
        var suite = Parse("*** Test Cases ***\nT\n    Wait For Line On Uart    TESTS: 2 passed, 0 failed    timeout=5\n");
        var step = (RobotKeywordStep)suite.TestCases[0].Body[0];
        Assert.That(step.Name, Is.EqualTo("Wait For Line On Uart"));
        Assert.That(step.Arguments, Is.EqualTo(new[] { "TESTS: 2 passed, 0 failed", "timeout=5" }));
    }

    [Test]
    public void CommentsAndCommentSectionsAreIgnored()
    {
        var suite = Parse("""
            # header comment
            *** Comments ***
            anything    here
            *** Test Cases ***
            T
                # whole-line comment
                Log    x
            """);
        Assert.That(suite.TestCases[0].Body, Has.Count.EqualTo(1));
    }

    [Test]
    public void ForLoopFlavours()
    {
        var suite = Parse("""
            *** Test Cases ***
            T
                FOR    ${h}    IN    1    2
                    Log    ${h}
                END
                FOR    ${i}    IN RANGE    0    10    2
                    Log    ${i}
                END
                FOR    ${i}    ${x}    IN ENUMERATE    a    b
                    Log    ${x}
                END
                FOR    ${a}    ${b}    IN ZIP    ${l1}    ${l2}
                    Log    ${a}
                END
            """);
        var loops = suite.TestCases[0].Body.Cast<RobotForStep>().ToList();
        Assert.That(loops.Select(l => l.Flavor), Is.EqualTo(new[] { RobotForFlavor.In, RobotForFlavor.InRange, RobotForFlavor.InEnumerate, RobotForFlavor.InZip }));
        Assert.That(loops[0].Values, Is.EqualTo(new[] { "1", "2" }));
        Assert.That(loops[1].Values, Is.EqualTo(new[] { "0", "10", "2" }));
        Assert.That(loops[2].LoopVariables, Is.EqualTo(new[] { "${i}", "${x}" }));
        Assert.That(loops.All(l => l.Body.Count == 1), Is.True);
    }

    [Test]
    public void IfElseIfElseBlocks()
    {
        var suite = Parse("""
            *** Test Cases ***
            T
                IF    ${x} > 1
                    Log    big
                ELSE IF    ${x} == 1
                    Log    one
                    Log    really
                ELSE
                    Log    small
                END
            """);
        var branch = (RobotIfStep)suite.TestCases[0].Body.Single();
        Assert.That(branch.Branches.Select(b => b.Condition), Is.EqualTo(new string?[] { "${x} > 1", "${x} == 1", null }));
        Assert.That(branch.Branches.Select(b => b.Body.Count), Is.EqualTo(new[] { 1, 2, 1 }));
    }

    [Test]
    public void InlineIf()
    {
        var suite = Parse("*** Test Cases ***\nT\n    IF    ${i} == 5    BREAK    ELSE    Log    go on\n");
        var branch = (RobotIfStep)suite.TestCases[0].Body.Single();
        Assert.That(branch.Branches[0].Body.Single(), Is.InstanceOf<RobotLoopControlStep>());
        Assert.That(((RobotKeywordStep)branch.Branches[1].Body.Single()).Name, Is.EqualTo("Log"));
    }

    [Test]
    public void NestedBlocksWhileReturnAndLoopControl()
    {
        var suite = Parse("""
            *** Keywords ***
            K
                WHILE    True    limit=5
                    FOR    ${i}    IN    1
                        IF    ${i}
                            CONTINUE
                        END
                    END
                    BREAK
                END
                RETURN    ${x}
            """);
        var body = suite.Keywords[0].Body;
        var loop = (RobotWhileStep)body[0];
        Assert.That(loop.Limit, Is.EqualTo("5"));
        Assert.That(((RobotForStep)loop.Body[0]).Body[0], Is.InstanceOf<RobotIfStep>());
        Assert.That(loop.Body[1], Is.InstanceOf<RobotLoopControlStep>());
        Assert.That(((RobotReturnStep)body[1]).Values, Is.EqualTo(new[] { "${x}" }));
    }

    [Test]
    public void UserKeywordSettingsAndArguments()
    {
        var suite = Parse("""
            *** Keywords ***
            Boot On ${harts} Harts
                [Documentation]    boots
                [Tags]    boot
                [Arguments]    ${timeout}    ${prompt}=lwkt>    @{rest}    &{named}
                [Teardown]    Log    bye
                Log    ${harts}
            """);
        var keyword = suite.Keywords.Single();
        Assert.That(keyword.EmbeddedArguments, Is.EqualTo(new[] { "harts" }));
        Assert.That(keyword.Arguments.Select(a => a.ToString()), Is.EqualTo(new[] { "timeout", "prompt=lwkt>", "*rest", "**named" }));
        Assert.That(keyword.Tags, Is.EqualTo(new[] { "boot" }));
        Assert.That(keyword.Teardown!.Step!.Name, Is.EqualTo("Log"));
    }

    [Test]
    public void MissingEndIsAnErrorNamingFileAndLine()
    {
        var e = Assert.Throws<RobotSyntaxException>(() => Parse("*** Test Cases ***\nT\n    FOR    ${i}    IN    1\n        Log    x\n"));
        Assert.That(e!.Message, Does.StartWith("suite.robot:3: FOR has no closing END"));
    }

    [Test]
    public void StrayEndIsAnError()
    {
        var e = Assert.Throws<RobotSyntaxException>(() => Parse("*** Test Cases ***\nT\n    Log    x\n    END\n"));
        Assert.That(e!.Message, Does.StartWith("suite.robot:4:"));
    }

    [Test]
    public void UnknownSectionAndSettingAreErrors()
    {
        Assert.That(Assert.Throws<RobotSyntaxException>(() => Parse("*** Bogus ***\n"))!.Message, Does.StartWith("suite.robot:1: unknown section"));
        Assert.That(Assert.Throws<RobotSyntaxException>(() => Parse("*** Settings ***\nSuite Stup    X\n"))!.Message, Does.StartWith("suite.robot:2: non-existing setting"));
        Assert.That(Assert.Throws<RobotSyntaxException>(() => Parse("*** Test Cases ***\nT\n    [Tagz]    x\n"))!.Message, Does.StartWith("suite.robot:3:"));
    }

    [Test]
    public void ForWithoutInIsAnError()
    {
        var e = Assert.Throws<RobotSyntaxException>(() => Parse("*** Test Cases ***\nT\n    FOR    ${i}    1    2\n    END\n"));
        Assert.That(e!.Message, Does.Contain("suite.robot:3"));
    }

    [TestCase("tests/robot/lwkt-tests.robot", "Lwkt-Tests")]
    [TestCase("boot_smp.robot", "Boot Smp")]
    [TestCase("01__first_suite.robot", "First Suite")]
    [TestCase("MixedCase_name.robot", "MixedCase name")]
    public void SuiteNamesFollowRobot(string path, string name)
    {
        Assert.That(RobotNames.SuiteNameFromPath(path), Is.EqualTo(name));
    }

    [Test]
    public void CurdirIsTheDirectoryOfTheFile()
    {
        var directory = Path.Combine(Path.GetTempPath(), "robot-curdir-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "s.robot");
        File.WriteAllText(path, "*** Test Cases ***\nT\n    Log    ${CURDIR}/board.resc\n");
        try
        {
            var suite = RobotParser.ParseFile(path);
            Assert.That(((RobotKeywordStep)suite.TestCases[0].Body[0]).Arguments[0], Is.EqualTo(directory + "/board.resc"));
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }
}
