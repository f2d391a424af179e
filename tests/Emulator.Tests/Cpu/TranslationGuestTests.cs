using System.Text;
using Emulator.Devicetree;
using Emulator.Loaders;
using Emulator.Peripherals.UART;
using Emulator.PlatformDescription;
using Emulator.Tests.PlatformDescription;
using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>
/// The guest kernel (guest/build/lwkt.elf, `make -C guest`) boots on board.repl, runs `test all` typed into
/// its UART and powers off, once interpreted and once translated: the UART output, the stop and every hart's
/// retired and executed counts must be identical.
/// </summary>
[TestFixture]
public class TranslationGuestTests
{
    private static (string Output, string Counts, ulong Blocks) Boot(bool translate, int threshold, bool background)
    {
        var elf = RepositoryPaths.File("guest/build/lwkt.elf");
        var machine = new Machine { TranslationEnabled = translate, BackgroundTranslation = background };
        PlatformLoader.Load(machine, RepositoryPaths.File("board.repl"));
        PlatformLoader.Load(machine, RepositoryPaths.File("platform/boards/finisher.repl"));
        machine.TryGetByName("uart0", out var peripheral);
        var uart = (NS16550)peripheral;
        var output = new StringBuilder();
        uart.CharReceived += b => output.Append((char)b);
        var image = ElfLoader.Load(machine, elf);
        BootSetup.Apply(machine, image);
        foreach (var b in Encoding.ASCII.GetBytes("test all\npoweroff\n"))
        {
            uart.WriteChar(b);
        }
        foreach (var h in machine.Harts)
        {
            h.TranslationThreshold = threshold;
        }
        var reason = machine.Run(new RunLimits(MaxInstructions: 2_000_000_000, MaxVirtualNanoseconds: 120_000_000_000));
        var counts = new StringBuilder($"stop={reason} exit={machine.ExitCode} time={machine.Clock.Now}\n");
        ulong blocks = 0;
        foreach (var h in machine.Harts)
        {
            counts.Append($"hart {h.HartId}: retired={h.InstructionsExecuted} executed={h.ExecutedSlots} pc=0x{h.PC:X} {h.Statistics}\n");
            blocks += h.BlocksEntered;
        }
        return (output.ToString(), counts.ToString(), blocks);
    }

    // Threshold 1 compiles in place: in the background, the compiler would still be working through the thousands
    // of heads the boot code queues when the run ends.
    [TestCase(50, false)]
    [TestCase(1, false)]
    [TestCase(50, true)]
    public void GuestKernelTestAllIsIdenticalTranslated(int threshold, bool background)
    {
        if (!File.Exists(RepositoryPaths.File("guest/build/lwkt.elf")))
        {
            Assert.Ignore("guest/build/lwkt.elf is not built (make -C guest)");
        }
        var interpreted = Boot(false, threshold, background);
        var translated = Boot(true, threshold, background);
        TestContext.Out.WriteLine(interpreted.Output);
        TestContext.Out.WriteLine(interpreted.Counts);
        Assert.That(interpreted.Output, Does.Contain("TESTS:"));
        Assert.That(interpreted.Blocks, Is.Zero);
        Assert.That(translated.Blocks, Is.GreaterThan(0UL));
        Assert.That(translated.Output, Is.EqualTo(interpreted.Output));
        Assert.That(translated.Counts, Is.EqualTo(interpreted.Counts));
    }
}
