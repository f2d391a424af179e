using System.Diagnostics;
using System.Text;
using Emulator.Devicetree;
using Emulator.Loaders;
using Emulator.Peripherals.UART;
using Emulator.PlatformDescription;
using Emulator.Tests.PlatformDescription;
using NUnit.Framework;

namespace Emulator.Tests.Peripherals;

/// <summary>
/// Runs tests/board-test (C, built with riscv64-unknown-elf-gcc) on the board files with the finisher
/// overlay: UART output from every hart, a timer interrupt and an IPI per hart, a UART character through
/// the PLIC, the device tree handoff (a0/a1), and the finisher's exit code. The same ELF runs on QEMU virt
/// (tests/board-test/run-qemu.sh) with the same output, which the last test checks when QEMU is installed.
/// </summary>
public class BoardTestProgramTests
{
    public static string ExpectedOutput(int harts)
    {
        var text = new StringBuilder($"board-test: {harts} harts, timebase 10000000\n");
        for (var h = 0; h < harts; h++)
        {
            text.Append($"hart {h}: hello\nhart {h}: timer\n");
        }
        for (var h = 0; h < harts; h++)
        {
            text.Append($"hart {h}: ipi\n");
        }
        text.Append("uart rx: x\nboard-test: PASS\n");
        return text.ToString();
    }

    [TestCase("board.repl", 4)]
    [TestCase("platform/boards/board-1.repl", 1)]
    [TestCase("platform/boards/board-2.repl", 2)]
    [TestCase("platform/boards/board-8.repl", 8)]
    public void RunsOnOurBoard(string board, int harts)
    {
        var elf = BuildProgram();
        var machine = new Machine();
        PlatformLoader.Load(machine, RepositoryPaths.File(board));
        PlatformLoader.Load(machine, RepositoryPaths.File("platform/boards/finisher.repl"));
        machine.TryGetByName("uart0", out var peripheral);
        var uart = (NS16550)peripheral;
        var output = new StringBuilder();
        uart.CharReceived += b => output.Append((char)b);
        var image = ElfLoader.Load(machine, elf);
        BootSetup.Apply(machine, image);
        uart.WriteChar((byte)'x');

        var reason = machine.Run(new RunLimits(MaxInstructions: 500_000_000, MaxVirtualNanoseconds: 2_000_000_000));

        Assert.That(output.ToString(), Is.EqualTo(ExpectedOutput(harts)));
        Assert.That(reason, Is.EqualTo(StopReason.GuestExit));
        Assert.That(machine.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void QemuPrintsTheSameAsOurBoard()
    {
        if (!File.Exists("/usr/bin/qemu-system-riscv64") && !OnPath("qemu-system-riscv64"))
        {
            Assert.Ignore("qemu-system-riscv64 is not installed");
        }
        BuildProgram();
        var script = RepositoryPaths.File("tests/board-test/run-qemu.sh");
        var (exit, output) = RunProcess("bash", $"{script} 2", RepositoryPaths.File("tests/board-test"));
        Assert.That(exit, Is.EqualTo(0), output);
        Assert.That(output.Replace("\r", ""), Is.EqualTo(ExpectedOutput(2)));
    }

    /// <summary>Builds the program with its own Makefile (into tests/board-test/build) and returns the ELF.</summary>
    public static string BuildProgram()
    {
        GuestToolchain.RequireOrIgnore();
        if (!OnPath("make"))
        {
            Assert.Ignore("make is not installed");
        }
        var directory = RepositoryPaths.File("tests/board-test");
        var (exit, output) = RunProcess("make", "-s", directory);
        Assert.That(exit, Is.EqualTo(0), "make failed:\n" + output);
        return Path.Combine(directory, "build", "board-test.elf");
    }

    private static (int Exit, string Output) RunProcess(string file, string arguments, string directory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {arguments} timed out");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, name)));
}
