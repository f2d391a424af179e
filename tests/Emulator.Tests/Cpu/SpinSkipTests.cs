using System.Text;
using Emulator.Core;
using Emulator.Loaders;
using Emulator.PlatformDescription;
using Emulator.Tests.Cli;
using Emulator.Tests.PlatformDescription;
using NUnit.Framework;
using MonitorShell = Emulator.Monitor.Monitor;

namespace Emulator.Tests.Cpu;

/// <summary>
/// Idle-spin skipping (docs/translator.md, "Idle spins"): a hart at a spin hint (a WFI that returns at once, or PAUSE),
/// in a loop proven to repeat itself, counts the loop's rounds instead of executing them. Every run here is made with
/// skipping on and off and must end in the same state, hart for hart; the loops that must not be skipped (a clock read
/// through a CSR or a device, a store that changes memory) show that the proof looks at what the round does, not only
/// at the registers after it.
/// </summary>
[TestFixture]
public class SpinSkipTests
{
    private const string FwJump = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf";
    private const string UBoot = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin";

    // Hart 0 works for a while (many quanta), then releases hart 1 through `flag` and waits for hart 1's report.
    // Hart 1 raises its own software interrupt and enables it in mie only, so every WFI returns at once (as
    // OpenSBI's secondary harts do with the cold-boot IPI still pending), then runs the loop under test and
    // reports minstret and mcycle as it leaves, in s4 and s5, and the counter the store loop keeps in s6.
    private static string Program(string spin) => $$"""
            .section .text.start
            .globl _start
        _start:
            csrr a0, mhartid
            la sp, stacks_end
            slli t0, a0, 12
            sub sp, sp, t0
            li s0, 0x2000000
            la s3, flag
            bnez a0, hart1
            li t0, 200000
        1:  addi t0, t0, -1
            bnez t0, 1b
            li t1, 1
            sw t1, 0(s3)
        2:  lw t1, 4(s3)
            beqz t1, 2b
            la t0, tohost
            sd t1, 0(t0)
        3:  j 3b
        hart1:
            li t0, 8
            csrw mie, t0
            li t1, 1
            sw t1, 4(s0)
        {{spin}}
            csrr s4, minstret
            csrr s5, mcycle
            lw s6, 8(s3)
            li t1, 1
            sw t1, 4(s3)
        4:  j 4b
        # OpenSBI's atomic_read as GCC builds it: a frame that saves and restores s0, so every round stores the
        # same value to the same stack slot.
        read_flag:
            addi sp, sp, -16
            sd s0, 8(sp)
            addi s0, sp, 16
            lw a0, 0(a0)
            fence r, r
            ld s0, 8(sp)
            addi sp, sp, 16
            ret
            .section .data
            .align 3
        flag: .word 0, 0, 0, 0
            .globl tohost
        tohost: .dword 0
            .section .bss
            .align 12
        stacks: .skip 8192
        stacks_end:
        """;

    // OpenSBI 1.1's sbi_hsm_hart_wait: `wfi; mv a0, s1; jal atomic_read; bne`.
    private const string FlagSpin = """
        5:  wfi
            mv a0, s3
            jal read_flag
            beqz a0, 5b
        """;

    // Linux's smp_cond_load_acquire with cpu_relax(): a load, a test, a division by zero as a delay, PAUSE.
    private const string PauseSpin = """
        5:  lw a0, 0(s3)
            bnez a0, 6f
            div t0, t0, zero
            .insn i 0x0F, 0, x0, x0, 0x010
            j 5b
        6:
        """;

    // A round changes no register until the clock ticks (every 10 instructions at 10 MHz): only the CSR read
    // tells it from a loop that repeats.
    private const string TimeCsrSpin = """
            csrr t2, time
            li t0, 5000
            add t2, t2, t0
        5:  wfi
            csrr t0, time
            bltu t0, t2, 5b
        """;

    // The same clock read through the CLINT's mtime register, a device.
    private const string TimeDeviceSpin = """
            li t0, 0xBFF8
            add t3, s0, t0
            ld t2, 0(t3)
            li t0, 5000
            add t2, t2, t0
        5:  wfi
            ld t0, 0(t3)
            bltu t0, t2, 5b
        """;

    // Counts its rounds in memory: the registers repeat, memory does not.
    private const string CountingSpin = """
        5:  wfi
            lw t0, 8(s3)
            addi t0, t0, 1
            sw t0, 8(s3)
            li t0, 0
            lw a0, 0(s3)
            beqz a0, 5b
        """;

    private sealed record Outcome(ulong Now, string Hart0, string Hart1, ulong Instret, ulong Cycle, ulong Rounds, ulong Skipped);

    private static Outcome Run(string spin, bool skipping, bool translation)
    {
        var machine = new Machine { SpinSkipping = skipping, TranslationEnabled = translation };
        PlatformLoader.Load(machine, RepositoryPaths.File("platform/boards/board-2.repl"));
        ElfLoader.Load(machine, GuestToolchain.Build(Program(spin)));
        var reason = machine.Run(new RunLimits(50_000_000, 1_000_000_000));
        Assert.That(reason, Is.EqualTo(StopReason.GuestExit));
        var h0 = machine.Harts[0];
        var h1 = machine.Harts[1];
        return new Outcome(machine.Clock.Now, $"{h0.InstructionsExecuted} {h0.Statistics}", $"{h1.InstructionsExecuted} {h1.Statistics}",
            h1.GetRegister(20), h1.GetRegister(21), h1.GetRegister(22), h1.SpinSkippedInstructions);
    }

    [TestCase(FlagSpin, true, TestName = "AWfiSpinIsCountedNotExecutedAndEndsTheSame(translated)")]
    [TestCase(FlagSpin, false, TestName = "AWfiSpinIsCountedNotExecutedAndEndsTheSame(interpreted)")]
    [TestCase(PauseSpin, true, TestName = "APauseSpinIsCountedNotExecutedAndEndsTheSame(translated)")]
    [TestCase(PauseSpin, false, TestName = "APauseSpinIsCountedNotExecutedAndEndsTheSame(interpreted)")]
    public void ASpinThatRepeatsItselfIsCountedNotExecutedAndEndsTheSame(string spin, bool translation)
    {
        GuestToolchain.RequireOrIgnore();
        var on = Run(spin, skipping: true, translation);
        var off = Run(spin, skipping: false, translation);
        Assert.That(on with { Skipped = 0 }, Is.EqualTo(off));
        Assert.That(off.Skipped, Is.Zero);
        // Hart 0 works for about 400,000 instructions, which hart 1 spends spinning; all but a few rounds per
        // turn (10,000 instructions) are counted.
        Assert.That(on.Skipped, Is.GreaterThan(300_000), on.ToString());
    }

    [TestCase(TimeCsrSpin, TestName = "ALoopThatReadsTheTimeCsrIsNotSkipped")]
    [TestCase(TimeDeviceSpin, TestName = "ALoopThatReadsADeviceIsNotSkipped")]
    [TestCase(CountingSpin, TestName = "ALoopThatChangesMemoryIsNotSkipped")]
    public void ALoopWhoseRoundsDifferIsNotSkipped(string spin)
    {
        GuestToolchain.RequireOrIgnore();
        var on = Run(spin, skipping: true, translation: true);
        var off = Run(spin, skipping: false, translation: true);
        Assert.That(on, Is.EqualTo(off));
        Assert.That(on.Skipped, Is.Zero);
    }

    /// <summary>
    /// OpenSBI 1.1 + U-Boot on four harts: U-Boot never starts harts 1-3, which spin in OpenSBI's HSM wait with the
    /// cold-boot IPI pending. Skipping must leave every count and every byte of output as it was.
    /// </summary>
    [Test]
    public void OpenSbiSecondaryHartsEndTheSameWithSkipping()
    {
        if (!File.Exists(FwJump) || !File.Exists(UBoot))
        {
            Assert.Ignore("OpenSBI or U-Boot is missing (scripts/bootstrap installs them)");
        }
        (string Output, string Counts, ulong Skipped) Boot(bool skipping)
        {
            var root = EchoGuest.RepositoryRoot;
            using var emulation = new Emulation();
            using var monitor = new MonitorShell(emulation);
            monitor.Execute("mach create \"uboot\"");
            monitor.Execute($"machine LoadPlatformDescription @{Path.Combine(root, "platform", "boards", "board-4.repl")}");
            monitor.Execute($"sysbus LoadELF @{FwJump}");
            monitor.Execute($"sysbus LoadBinary @{UBoot} 0x80200000");
            monitor.Execute($"sysbus LoadFdt @{Path.Combine(root, "board.dtb")} 0x87ff0000");
            for (var h = 0; h < 4; h++)
            {
                monitor.Execute($"cpu{h} SetRegister 10 {h}");
                monitor.Execute($"cpu{h} SetRegister 11 0x87ff0000");
            }
            var machine = emulation.CurrentMachine!;
            machine.SpinSkipping = skipping;
            Assert.That(machine.TryGetByName("uart0", out var uart), Is.True);
            var text = new StringBuilder();
            ((IUART)uart).CharReceived += c => text.Append((char)c);
            machine.Run(RunLimits.ForTime(TimeSpan.FromMilliseconds(300)));
            var counts = string.Join("\n", machine.Harts.Select(h => $"{h.InstructionsExecuted} {h.Statistics}"));
            return (text.ToString(), counts, machine.Harts.Aggregate(0UL, (sum, h) => sum + h.SpinSkippedInstructions));
        }
        var on = Boot(true);
        var off = Boot(false);
        Assert.That(on.Output, Does.Contain("Hit any key to stop autoboot"));
        Assert.That(on.Output, Is.EqualTo(off.Output));
        Assert.That(on.Counts, Is.EqualTo(off.Counts));
        Assert.That(off.Skipped, Is.Zero);
        Assert.That(on.Skipped, Is.GreaterThan(1_000_000));
    }
}
