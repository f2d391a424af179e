using Emulator.Loaders;
using Emulator.PlatformDescription;
using Emulator.Tests.PlatformDescription;
using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>How harts share a slice of virtual time: a hart woken by an IPI runs on within the slice.</summary>
[TestFixture]
public class SliceSchedulingTests
{
    private static readonly string PingPong = PingPongProgram(1000);

    // IPI round trips between harts 0 and 1 through the CLINT's msip; WFI with MSIE set wakes
    // without a trap. Hart 0 ends the run through HTIF. The exploration tests run it too.
    internal static string PingPongProgram(int roundTrips) => $$"""
            .section .text.start
            .globl _start
        _start:
            csrr a0, mhartid
            li t0, 8
            csrw mie, t0
            li s0, 0x2000000
            li s2, {{roundTrips}}
            li t1, 1
            beqz a0, 2f
        1:  wfi
            csrr t2, mip
            andi t2, t2, 8
            beqz t2, 1b
            sw zero, 4(s0)
            sw t1, 0(s0)
            j 1b
        2:  sw t1, 4(s0)
        3:  wfi
            csrr t2, mip
            andi t2, t2, 8
            beqz t2, 3b
            sw zero, 0(s0)
            addi s2, s2, -1
            bnez s2, 2b
            la t0, tohost
            sd t1, 0(t0)
        4:  j 4b
            .section .data
            .align 3
            .globl tohost
        tohost: .dword 0
        """;

    [Test]
    public void AnIpiRoundTripCostsItsInstructionsNotAQuantum()
    {
        var machine = new Machine();
        PlatformLoader.Load(machine, RepositoryPaths.File("platform/boards/board-2.repl"));
        ElfLoader.Load(machine, GuestToolchain.Build(PingPong));
        var reason = machine.Run(new RunLimits(10_000_000, 10_000_000_000));
        Assert.That(reason, Is.EqualTo(StopReason.GuestExit));
        // Each round trip is about 20 instructions (0.2 us at 100 MIPS); a quantum is 100 us. Were a woken
        // hart to wait for the next slice, 1000 round trips would take 1000 quanta (0.1 s).
        Assert.That(machine.Clock.Now, Is.LessThan(10 * machine.QuantumNanoseconds),
            $"1000 round trips took {machine.Clock.Now / 1000} us of virtual time");
    }

    [Test]
    public void SlicesStayDeterministicWithRepeatedPasses()
    {
        ulong Run()
        {
            var machine = new Machine();
            PlatformLoader.Load(machine, RepositoryPaths.File("platform/boards/board-2.repl"));
            ElfLoader.Load(machine, GuestToolchain.Build(PingPong));
            machine.Run(new RunLimits(10_000_000, 10_000_000_000));
            return machine.Clock.Now ^ (machine.Harts[0].InstructionsExecuted << 20) ^ machine.Harts[1].InstructionsExecuted;
        }
        Assert.That(Run(), Is.EqualTo(Run()));
    }
}
