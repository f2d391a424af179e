using Emulator.Cli;
using Emulator.Core;
using NUnit.Framework;

namespace Emulator.Tests.Cli;

[TestFixture]
public class RunCommandBoardTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = RunCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string Board => Path.Combine(EchoGuest.RepositoryRoot, "board.repl");

    [Test]
    public void UartInputIsTypedAndOutputGoesToStdout()
    {
        var elf = EchoGuest.Build();
        var (code, output, errors) = Run(elf, "--board", Board, "--uart-input", "hello\\nq", "--timeout", "5");
        Assert.That(code, Is.EqualTo(0), errors);
        Assert.That(output, Is.EqualTo("ready\nhello\n"));
    }

    [Test]
    public void LongInputIsNotDropped()
    {
        var elf = EchoGuest.Build();
        var text = string.Concat(Enumerable.Range(0, 40).Select(i => $"line {i:00}\\n"));
        var (code, output, _) = Run(elf, "--board", Board, "--uart-input", text + "q", "--timeout", "5");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Is.EqualTo("ready\n" + text.Replace("\\n", "\n")));
    }

    [Test]
    public void GuestFailureCodeAndLimitsBecomeTheExitCode()
    {
        var elf = EchoGuest.Build();
        Assert.That(Run(elf, "--board", Board, "--uart-input", "f", "--timeout", "5").Code, Is.EqualTo(3));
        var (code, _, errors) = Run(elf, "--board", Board, "--timeout", "0.01");
        Assert.That(code, Is.EqualTo(RunCommand.LimitExitCode));
        Assert.That(errors, Does.Contain("virtual time limit"));
    }

    [Test]
    public void BootSetupGivesEveryHartItsIdAndTheDeviceTree()
    {
        var elf = EchoGuest.Build();
        using var emulation = new Emulation();
        using var monitor = new Emulator.Monitor.Monitor(emulation);
        monitor.SetVariable("bin", elf);
        monitor.ExecuteScript(Path.Combine(EchoGuest.RepositoryRoot, "board.resc"));
        var board = emulation.CurrentMachine!;
        Assert.That(board.Harts, Has.Count.EqualTo(4));
        for (var i = 0; i < 4; i++)
        {
            Assert.That(board.Harts[i].GetRegister(10), Is.EqualTo((ulong)i));
            Assert.That(board.Harts[i].GetRegister(11), Is.EqualTo(0x87ff0000UL));
            Assert.That(board.Harts[i].PC, Is.EqualTo(0x80000000UL));
        }
        Assert.That(board.SystemBus.ReadDoubleWord(0x87ff0000), Is.EqualTo(0xEDFE0DD0u), "FDT magic, big-endian");
    }

    [Test]
    public void CommittedBoardDtbMatchesTheBoard()
    {
        var root = EchoGuest.RepositoryRoot;
        var expected = DtbCommand.Build(Path.Combine(root, "board.repl"));
        Assert.That(File.ReadAllBytes(Path.Combine(root, "board.dtb")), Is.EqualTo(expected),
            "board.dtb is stale: run `scripts/emu dtb board.repl board.dtb`");
    }

    [Test]
    public void BadRunArgumentsAreClear()
    {
        Assert.That(Assert.Throws<EmulationException>(() => Run("x.elf", "--uart-input", "a"))!.Message, Does.Contain("--uart-input needs --board"));
        Assert.That(Assert.Throws<EmulationException>(() => RunCommand.Unescape("a\\q"))!.Message, Does.Contain("unknown escape \\q"));
        Assert.That(RunCommand.Unescape("a\\r\\n\\x41\\\\"), Is.EqualTo("a\r\nA\\"));
    }
}
