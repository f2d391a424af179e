using Emulator.Monitor;
using NUnit.Framework;

namespace Emulator.Tests.Monitor;

[TestFixture]
public class MonitorTokenizerTests
{
    private static List<MonitorToken> One(string line) => MonitorTokenizer.Tokenize(line).Single();

    [Test]
    public void ReadsNumbersStringsPathsAndWords()
    {
        var t = One("sysbus WriteDoubleWord 0x8000_0000 42 \"a b\" 'c' @some\\ file.elf true");
        Assert.That(t.Select(x => x.Kind), Is.EqualTo(new[]
        {
            TokenKind.Word, TokenKind.Word, TokenKind.Number, TokenKind.Number, TokenKind.String, TokenKind.String, TokenKind.Path, TokenKind.Boolean,
        }));
        Assert.That(t[2].Number, Is.EqualTo(0x8000_0000UL));
        Assert.That(t[3].Number, Is.EqualTo(42UL));
        Assert.That(t[4].Text, Is.EqualTo("a b"));
        Assert.That(t[6].Text, Is.EqualTo("some file.elf"));
        Assert.That(t[7].Boolean, Is.True);
    }

    [Test]
    public void ReadsNegativeNumbersFloatsIntervalsAndRanges()
    {
        var t = One("x -1 0.0001 00:00:01.5 <0x1000, 0x1fff> <0x2000 0x100>");
        Assert.That(t[1].IsNegative, Is.True);
        Assert.That((long)t[1].Number, Is.EqualTo(-1));
        Assert.That(t[2].Kind, Is.EqualTo(TokenKind.Float));
        Assert.That(t[2].Float, Is.EqualTo(0.0001));
        Assert.That(t[3].Kind, Is.EqualTo(TokenKind.Interval));
        Assert.That(t[3].Interval, Is.EqualTo(TimeSpan.FromSeconds(1.5)));
        Assert.That((t[4].RangeStart, t[4].RangeEnd), Is.EqualTo((0x1000UL, 0x1FFFUL)));
        Assert.That((t[5].RangeStart, t[5].RangeEnd), Is.EqualTo((0x2000UL, 0x20FFUL)));
    }

    [Test]
    public void CommentsSeparatorsAndAssignments()
    {
        Assert.That(MonitorTokenizer.Tokenize("# only a comment"), Is.Empty);
        Assert.That(MonitorTokenizer.Tokenize(":name: header"), Is.Empty);
        var statements = MonitorTokenizer.Tokenize("start; pause # trailing");
        Assert.That(statements.Select(s => s.Single().Text), Is.EqualTo(new[] { "start", "pause" }));
        var assign = One("$bin?=@guest/x.elf");
        Assert.That(assign.Select(x => x.Kind), Is.EqualTo(new[] { TokenKind.Variable, TokenKind.ConditionalAssign, TokenKind.Path }));
        var suffixed = One("machine LoadPlatformDescription $ORIGIN/board.repl");
        Assert.That(suffixed[2].Text, Is.EqualTo("ORIGIN"));
        Assert.That(suffixed[2].Suffix, Is.EqualTo("/board.repl"));
    }

    [Test]
    public void MultilineStringKeepsNewlines()
    {
        var t = One("macro reset \"\"\"\nsysbus LoadELF $bin\ncpu0 PC 0x1\n\"\"\"");
        Assert.That(t[2].Kind, Is.EqualTo(TokenKind.MultilineString));
        Assert.That(t[2].Text, Does.Contain("sysbus LoadELF $bin\ncpu0 PC 0x1"));
    }

    [TestCase("\"open", "unterminated string")]
    [TestCase("<1, 2", "unterminated range")]
    [TestCase("<5, 1>", "end is below the start")]
    [TestCase("@", "a path is expected")]
    public void BadInputIsAOneLineError(string line, string expected)
    {
        var e = Assert.Throws<MonitorException>(() => MonitorTokenizer.Tokenize(line))!;
        Assert.That(e.Message, Does.Contain(expected));
        Assert.That(e.Message, Does.Not.Contain("\n"));
    }
}
