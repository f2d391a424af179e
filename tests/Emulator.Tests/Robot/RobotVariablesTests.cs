using Emulator.Robot;
using NUnit.Framework;

namespace Emulator.Tests.Robot;

[TestFixture]
public sealed class RobotVariablesTests
{
    private RobotVariables variables = null!;

    [SetUp]
    public void CreateScopes()
    {
        var global = RobotVariables.CreateGlobal();
        variables = global.CreateChild();
        variables.Set("${name}", "lwkt");
        variables.Set("@{harts}", new List<object?> { 1L, 2L, 4L });
        variables.Set("&{board}", new Dictionary<string, object?> { ["uart"] = "sysbus.uart0", ["harts"] = 4L });
        variables.Set("${result}", new Dictionary<string, object?> { ["line"] = "TESTS: 2 passed", ["groups"] = new List<object?> { "2", "0" } });
    }

    [Test]
    public void ScalarSubstitutionInText()
    {
        Assert.That(variables.Resolve("hello ${name}!"), Is.EqualTo("hello lwkt!"));
    }

    [Test]
    public void WholeCellVariableKeepsItsType()
    {
        Assert.That(variables.Resolve("${harts}"), Is.EqualTo(new List<object?> { 1L, 2L, 4L }));
        Assert.That(variables.Resolve("${42}"), Is.EqualTo(42L));
        Assert.That(variables.Resolve("${0x10}"), Is.EqualTo(16L));
        Assert.That(variables.Resolve("${1.5}"), Is.EqualTo(1.5));
        Assert.That(variables.Resolve("${True}"), Is.EqualTo(true));
        Assert.That(variables.Resolve("${None}"), Is.Null);
        Assert.That(variables.Resolve("${EMPTY}"), Is.EqualTo(""));
    }

    [Test]
    public void NamesIgnoreCaseSpacesAndUnderscores()
    {
        variables.Set("${MY_VAR}", "x");
        Assert.That(variables.Resolve("${my var}"), Is.EqualTo("x"));
        Assert.That(variables.Resolve("${myvar}"), Is.EqualTo("x"));
    }

    [Test]
    public void ItemAccessOnListsAndDictionaries()
    {
        Assert.That(variables.Resolve("${harts}[1]"), Is.EqualTo(2L));
        Assert.That(variables.Resolve("${harts}[-1]"), Is.EqualTo(4L));
        Assert.That(variables.Resolve("${board}[uart]"), Is.EqualTo("sysbus.uart0"));
        Assert.That(variables.Resolve("@{harts}[0]"), Is.EqualTo(1L));
    }

    [Test]
    public void ExtendedSyntaxAttributesIndexesAndArithmetic()
    {
        Assert.That(variables.Resolve("${result.line}"), Is.EqualTo("TESTS: 2 passed"));
        Assert.That(variables.Resolve("${result.groups[0]}"), Is.EqualTo("2"));
        Assert.That(variables.Resolve("${result.groups[1]}"), Is.EqualTo("0"));
        Assert.That(() => variables.Resolve("${result.Groups[1]}"), Throws.TypeOf<RobotKeywordException>(), "attribute names are case-sensitive");
        Assert.That(variables.Resolve("${board.harts * 2}"), Is.EqualTo(8L));
        Assert.That(variables.Resolve("${SPACE * 3}"), Is.EqualTo("   "));
    }

    [Test]
    public void NestedVariableNames()
    {
        variables.Set("${i}", 2L);
        variables.Set("${uart_2}", "third");
        Assert.That(variables.Resolve("${uart_${i}}"), Is.EqualTo("third"));
    }

    [Test]
    public void EscapesAndEscapedVariables()
    {
        Assert.That(variables.Resolve("a\\nb"), Is.EqualTo("a\nb"));
        Assert.That(variables.Resolve("\\${name}"), Is.EqualTo("${name}"));
        Assert.That(variables.Resolve("\\\\d+"), Is.EqualTo("\\d+"));
        Assert.That(variables.Resolve("\\x41"), Is.EqualTo("A"));
    }

    [Test]
    public void ListsExpandInArgumentLists()
    {
        Assert.That(variables.ResolveList(new[] { "a", "@{harts}", "b" }), Is.EqualTo(new object?[] { "a", 1L, 2L, 4L, "b" }));
    }

    [Test]
    public void ListsAppearAsPythonReprInText()
    {
        Assert.That(variables.Resolve("harts: ${harts}"), Is.EqualTo("harts: [1, 2, 4]"));
    }

    [Test]
    public void EnvironmentVariables()
    {
        Environment.SetEnvironmentVariable("ROBOT_TEST_ENV", "from-env");
        Assert.That(variables.Resolve("%{ROBOT_TEST_ENV}"), Is.EqualTo("from-env"));
        Assert.That(variables.Resolve("%{ROBOT_TEST_MISSING=fallback}"), Is.EqualTo("fallback"));
    }

    [Test]
    public void MissingVariableFailsWithItsName()
    {
        var e = Assert.Throws<RobotKeywordException>(() => variables.Resolve("x ${nope} y"));
        Assert.That(e!.Message, Is.EqualTo("Variable '${nope}' not found."));
    }

    [Test]
    public void ChildScopesShadowWithoutChangingParents()
    {
        var child = variables.CreateChild();
        child.Set("${name}", "inner");
        Assert.That(child.Resolve("${name}"), Is.EqualTo("inner"));
        Assert.That(variables.Resolve("${name}"), Is.EqualTo("lwkt"));
    }

    [TestCase("1 + 2 * 3", 7L)]
    [TestCase("7 // 2", 3L)]
    [TestCase("'abc' == 'abc'", true)]
    [TestCase("1 < 2 < 3", true)]
    [TestCase("3 > 2 and not False", true)]
    [TestCase("'b' in 'abc'", true)]
    [TestCase("'x' not in ['a', 'b']", true)]
    [TestCase("len('four')", 4L)]
    [TestCase("int('12') + 1", 13L)]
    [TestCase("None is None", true)]
    [TestCase("'TESTS: 2'.startswith('TESTS')", true)]
    [TestCase("0 or 'fallback'", "fallback")]
    public void ExpressionsEvaluateLikePython(string expression, object expected)
    {
        Assert.That(variables.EvaluateExpression(expression), Is.EqualTo(expected));
    }

    [Test]
    public void ExpressionsSeeDollarVariablesAsObjects()
    {
        Assert.That(variables.EvaluateExpression("len($harts) == 3"), Is.EqualTo(true));
        Assert.That(variables.EvaluateExpression("${board}[harts] == 4"), Is.EqualTo(true));
    }

    [Test]
    public void BadExpressionFailsWithTheExpression()
    {
        var e = Assert.Throws<RobotKeywordException>(() => variables.EvaluateExpression("abc == 5"));
        Assert.That(e!.Message, Does.StartWith("Evaluating expression 'abc == 5' failed"));
    }

    [TestCase("2 minutes", 120)]
    [TestCase("1 min 30 s", 90)]
    [TestCase("1m", 60)]
    [TestCase("500ms", 0.5)]
    [TestCase("250 milliseconds", 0.25)]
    [TestCase("1.5", 1.5)]
    [TestCase("2 seconds", 2)]
    [TestCase("1h 2min 3s", 3723)]
    [TestCase("1 day", 86400)]
    [TestCase("00:01:30", 90)]
    public void TimeStringsParseWithTheirUnits(string text, double seconds)
    {
        Assert.That(RobotTime.Parse(text).TotalSeconds, Is.EqualTo(seconds).Within(1e-9));
    }

}
