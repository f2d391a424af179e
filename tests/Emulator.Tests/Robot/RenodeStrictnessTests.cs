using Emulator.Robot;
using NUnit.Framework;

namespace Emulator.Tests.Robot;

/// <summary>
/// What real Robot Framework and Renode reject, the runner rejects too, so a suite that passes here does not fail
/// under renode-test: wait results have Renode's field names (`Line`, `Timestamp`, `Groups`, `IsFailingString`)
/// and only those spellings; dictionary keys and named arguments match exactly.
/// </summary>
[TestFixture]
public sealed class RenodeStrictnessTests
{
    private RobotVariables variables = null!;
    private RobotSuiteHarness harness = null!;

    [SetUp]
    public void SetUp()
    {
        variables = RobotVariables.CreateGlobal().CreateChild();
        variables.Set("${r}", new RobotTerminalMatch("TESTS: 7 passed, 0 failed", 12.5, new[] { "7", "0" }).ToRobotValue());
        harness = new RobotSuiteHarness();
    }

    [TearDown]
    public void TearDown() => harness.Dispose();

    [Test]
    public void WaitResultsHaveRenodeFieldNames()
    {
        Assert.That(variables.Resolve("${r.Line}"), Is.EqualTo("TESTS: 7 passed, 0 failed"));
        Assert.That(variables.Resolve("${r.Groups[1]}"), Is.EqualTo("0"));
        Assert.That(variables.Resolve("${r.Timestamp}"), Is.EqualTo(12.5));
        Assert.That(variables.Resolve("${r.IsFailingString}"), Is.EqualTo(false));
    }

    [TestCase("${r.groups[1]}", "groups")]
    [TestCase("${r.line}", "line")]
    [TestCase("${r.timestamp}", "timestamp")]
    [TestCase("${r.GROUPS}", "GROUPS")]
    public void OtherSpellingsFailAsAttributeErrorsDo(string reference, string name)
    {
        var error = Assert.Throws<RobotKeywordException>(() => variables.Resolve(reference))!;
        Assert.That(error.Message, Is.EqualTo($"Resolving variable '{reference}' failed: AttributeError: {name}"));
    }

    [Test]
    public void DictionaryKeysMatchExactly()
    {
        Assert.That(variables.Resolve("${r}[Line]"), Is.EqualTo("TESTS: 7 passed, 0 failed"));
        var error = Assert.Throws<RobotKeywordException>(() => variables.Resolve("${r}[line]"))!;
        Assert.That(error.Message, Does.Contain("has no key 'line'"));
    }

    [Test]
    public void ExpressionsRejectOtherSpellingsToo()
    {
        var error = Assert.Throws<RobotKeywordException>(() => variables.EvaluateExpression("$r.groups"))!;
        Assert.That(error.Message, Does.EndWith("AttributeError: groups"));
        Assert.That(variables.EvaluateExpression("len($r.Groups)"), Is.EqualTo(2L));
    }

    [Test]
    public void NamedArgumentsMatchTheArgumentNameExactly()
    {
        // `Timeout=1` is not the argument `timeout`: as in Robot it is a positional value, text and all.
        var result = harness.Run("""
            *** Keywords ***
            Echo Timeout
                [Arguments]    ${timeout}=5
                RETURN    ${timeout}

            *** Test Cases ***
            Exact Name
                ${v}=    Echo Timeout    timeout=1
                Should Be Equal    ${v}    1

            Other Case
                ${v}=    Echo Timeout    Timeout=1
                Should Be Equal    ${v}    Timeout=1
            """);
        Assert.That(result.Tests.Select(t => t.Status), Is.All.EqualTo(RobotTestStatus.Pass), string.Join("; ", result.Tests.Select(t => t.Message)));
    }
}
