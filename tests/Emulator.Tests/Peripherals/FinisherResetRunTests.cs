using Emulator.Devicetree;
using Emulator.Loaders;
using Antmicro.Renode.Peripherals.Miscellaneous;
using Emulator.PlatformDescription;
using Emulator.Tests.PlatformDescription;
using NUnit.Framework;

namespace Emulator.Tests.Peripherals;

/// <summary>A guest that resets the board through the finisher once (RAM keeps a boot counter), then passes.</summary>
public class FinisherResetRunTests
{
    private const string Program = """
        .section .text.start
        .globl _start
        _start:
            csrr t0, mhartid
            bnez t0, park
            la t0, boots
            ld t1, 0(t0)
            addi t1, t1, 1
            sd t1, 0(t0)
            li t3, 0x100000
            li t2, 2
            bge t1, t2, pass
            li t5, 10000
        delay:
            addi t5, t5, -1
            bnez t5, delay
            li t4, 0x7777
            sw t4, 0(t3)
        park:
            wfi
            j park
        pass:
            li t4, 0x5555
            sw t4, 0(t3)
            j park
            .data
        boots:
            .dword 0
        """;

    [TestCase(0UL)]
    [TestCase(1_000_000_000UL)]
    public void GuestResetRebootsAndTheSecondBootPasses(ulong maxVirtualNanoseconds)
    {
        var elf = GuestToolchain.Build(Program);
        var machine = new Machine();
        PlatformLoader.Load(machine, RepositoryPaths.File("platform/boards/board-2.repl"));
        PlatformLoader.LoadFromString(machine, StandardOverlays.TestFinisher);
        var image = ElfLoader.Load(machine, elf);
        BootSetup.Apply(machine, image);

        // A first, short run, so the reset happens in a run that did not start at time zero.
        Assert.That(machine.Run(new RunLimits(1000, 0)), Is.EqualTo(StopReason.InstructionLimit));
        var reason = machine.Run(new RunLimits(10_000_000, maxVirtualNanoseconds));

        machine.TryGetByName("finisher", out var finisher);
        Assert.That(((TestFinisher)finisher).ResetCount, Is.EqualTo(1));
        Assert.That(reason, Is.EqualTo(StopReason.GuestExit), machine.StopMessage);
        Assert.That(machine.ExitCode, Is.EqualTo(0));
        Assert.That(machine.SystemBus.ReadQuadWord(image.Symbols["boots"]), Is.EqualTo(2UL));
    }
}
