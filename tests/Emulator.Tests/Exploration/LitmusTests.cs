using Emulator.Cli.Litmus;
using Emulator.MemoryModels;
using Emulator.Tests.PlatformDescription;
using NUnit.Framework;

namespace Emulator.Tests.Exploration;

/// <summary>`emu litmus`: the herd7/litmus7 format, litmus7's log, and verdicts of the classic shapes under RVWMO and SC.</summary>
[TestFixture]
public class LitmusTests
{
    private static LitmusOutcome Run(string name, int runs, MemoryModelKind model = MemoryModelKind.Rvwmo)
    {
        GuestToolchain.RequireOrIgnore();
        var test = LitmusParser.ParseFile(RepositoryPaths.File($"tests/litmus/{name}.litmus"));
        return new LitmusRunner { MemoryModel = model }.Run(test, LitmusProgram.Build(test), runs, 1);
    }

    [TestCase("SB")]
    [TestCase("MP")]
    [TestCase("S")]
    [TestCase("R")]
    [TestCase("2+2W")]
    [TestCase("ISA2")]
    [TestCase("SB+fence.tsos")]
    [TestCase("WRC")]
    [TestCase("IRIW")]
    [TestCase("MP+fence.w.w+po")]
    [TestCase("MP+fence.w.w+ctrl")]
    [TestCase("MP+fence.w.w+fence.w.r")]
    public void RvwmoShowsTheAllowedOutcomeThatScNeverShows(string name)
    {
        Assert.That(Run(name, 2000).Positive, Is.GreaterThan(0), $"{name} under RVWMO");
        Assert.That(Run(name, 500, MemoryModelKind.Sc).Positive, Is.Zero, $"{name} under SC");
    }

    // Every test of tests/litmus whose outcome RVWMO forbids (Expected=Forbidden), 2,000 seeds each.
    private static IEnumerable<string> ForbiddenTests() =>
        File.ReadAllLines(RepositoryPaths.File("tests/litmus/all.txt"))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(file => Path.GetFileNameWithoutExtension(file))
            .Where(name => File.ReadAllText(RepositoryPaths.File($"tests/litmus/{name}.litmus")).Contains("Expected=Forbidden", StringComparison.Ordinal));

    [Test]
    public void EveryForbiddenTestIsListed() => Assert.That(ForbiddenTests().Count(), Is.EqualTo(32));

    [TestCaseSource(nameof(ForbiddenTests))]
    public void ForbiddenOutcomesNeverAppear(string name)
    {
        var outcome = Run(name, 2000);
        Assert.That(outcome.Positive, Is.Zero, $"{name}: forbidden outcome at seed {outcome.FirstPositiveSeed}");
        Assert.That(outcome.Negative, Is.EqualTo(2000));
    }

    [Test]
    public void TheLogHasLitmus7sShape()
    {
        var outcome = Run("SB", 300);
        var log = new StringWriter();
        LitmusCommand.Print(outcome, log);
        var text = log.ToString();
        Assert.That(text, Does.StartWith("Test SB Allowed\nHistogram ("));
        Assert.That(text, Does.Contain("*>0:x7=0; 1:x7=0;"));
        Assert.That(text, Does.Contain(":>0:x7=1; 1:x7=1;"));
        Assert.That(text, Does.Contain("\nOk\n\nWitnesses\nPositive: "));
        Assert.That(text, Does.Contain("Condition exists (0:x7=0 /\\ 1:x7=0) is validated\nHash="));
        Assert.That(outcome.Positive + outcome.Negative, Is.EqualTo(300));
    }

    [TestCase("RISCV X\n{\n0:x5=1;\n}\n P0 ;\n lw x5,0(x6) ;\nexists (0:x5=", 7, "expected a number")]
    [TestCase("RISCV X\n{\n0:q5=1;\n}\n P0 ;\n nop ;\nexists (0:x5=1)", 3, "unknown register 'q5'")]
    [TestCase("X86 X\n{ }\n P0 ;\n nop ;\nexists (0:x5=1)", 1, "RISCV")]
    [TestCase("RISCV X\n{\nx=1;\n}\n P0 | P1 ;\n nop ;\nexists (x=1)", 6, "2 harts")]
    [TestCase("RISCV X\n{\n}\n P0 ;\n nop ;\nexists (0:x5=1 /\\ )", 6, "expected a location")]
    [TestCase("RISCV X\n{\n}\n P0 ;\n nop ;\nwhatever (x=1)", 6, "expected `exists`")]
    [TestCase("RISCV X\n{\n}\n P0 ;\n nop ;\n", 6, "missing the final condition")]
    public void MalformedTestsGetFileLineErrors(string text, int line, string message)
    {
        var e = Assert.Throws<LitmusException>(() => LitmusParser.Parse("bad.litmus", text));
        Assert.That(e!.Message, Does.StartWith($"bad.litmus:{line}:"));
        Assert.That(e.Message, Does.Contain(message));
    }

    [Test]
    public void AssemblerErrorsPointAtTheTestsLine()
    {
        GuestToolchain.RequireOrIgnore();
        var test = LitmusParser.Parse("bad.litmus", "RISCV X\n{\n0:x6=x;\n}\n P0 ;\n lw x5,0(x6) ;\n frobnicate x5 ;\nexists (0:x5=0)\n");
        var e = Assert.Throws<LitmusException>(() => LitmusProgram.Build(test));
        Assert.That(e!.Message, Does.StartWith("bad.litmus:7:"));
    }

    [Test]
    public void TheCommandRunsTheOthersAfterAMalformedTestAndFails()
    {
        GuestToolchain.RequireOrIgnore();
        var dir = Path.Combine(Path.GetTempPath(), $"litmus-cmd-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "bad.litmus"), "RISCV Bad\n{\n0:x5=;\n}\n P0 ;\n nop ;\nexists (x=1)\n");
        File.Copy(RepositoryPaths.File("tests/litmus/CoWW.litmus"), Path.Combine(dir, "CoWW.litmus"), true);
        File.WriteAllText(Path.Combine(dir, "list.txt"), "# two tests\nbad.litmus\nCoWW.litmus\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = LitmusCommand.Run(new[] { "--runs", "50", "--summary", "@" + Path.Combine(dir, "list.txt") }, stdout, stderr);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr.ToString(), Does.Contain("bad.litmus:3:"));
        Assert.That(stdout.ToString(), Does.Contain("Test CoWW Allowed"));
        Assert.That(stdout.ToString(), Does.Contain("| CoWW | Forbidden | no (0) | 50 | ok |"));
    }
}
