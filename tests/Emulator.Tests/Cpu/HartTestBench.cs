using Emulator.Loaders;
using Emulator.Peripherals.CPU;
using Emulator.Peripherals.Memory;
using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>
/// A machine of N harts and 16 MiB of RAM at 0x8000_0000 that runs an assembly body wrapped in a test
/// frame: a default M-mode trap handler records mcause/mepc/mtval in s11/s10/s9 (x27/x26/x25), counts
/// traps in s8 (x24) and skips the faulting 4-byte instruction; the body ends by writing 1 to tohost
/// (HTIF), which stops the run with exit code 0.
/// </summary>
public sealed class HartTestBench
{
    public const ulong RamBase = 0x8000_0000;

    private const string Prologue = """
        .section .text.start
        .globl _start
        _start:
            la t0, default_trap
            csrw mtvec, t0
            li s8, 0
        """;

    private const string Epilogue = """
        pass:
            la t6, tohost
            li t5, 1
            sd t5, 0(t6)
        1:  j 1b

        .align 2
        default_trap:
            csrr s11, mcause
            csrr s10, mepc
            csrr s9, mtval
            addi s8, s8, 1
            bltz s11, 2f
            addi s10, s10, 4
            csrw mepc, s10
            addi s10, s10, -4
        2:  mret

        .section .data
        .align 3
        .globl tohost
        tohost: .dword 0
        """;

    public HartTestBench(string body, int harts = 1, bool allowUnaligned = false, bool rawSource = false)
    {
        // Blocks compiled where they become hot, so which block entries happen is the same on every run (tests
        // count them); BackgroundTranslationTests turn the background compiler on.
        Machine = new Machine { BackgroundTranslation = false };
        Ram = new MappedMemory(16L << 20);
        Machine.Register("ram", Ram);
        Machine.SystemBus.Register(Ram, RamBase, 16UL << 20, "ram");
        for (var i = 0; i < harts; i++)
        {
            Machine.Register($"cpu{i}", new RiscV64("rv64imac_zicsr_zifencei", null, (uint)i, PrivilegedArchitecture.Priv1_11, allowUnaligned));
        }
        var source = rawSource ? body : Prologue + "\n" + body + "\n    j pass\n" + Epilogue;
        Image = ElfLoader.Load(Machine, GuestToolchain.Build(source));
    }

    public Machine Machine { get; }

    public MappedMemory Ram { get; }

    public ElfImage Image { get; }

    public RiscV64 Hart(int i = 0) => Machine.Harts[i];

    public ulong X(int register, int hart = 0) => Hart(hart).GetRegister(register);

    public ulong Symbol(string name) => Image.Symbols[name];

    /// <summary>Runs until the guest passes (HTIF) and asserts it did, within an instruction limit.</summary>
    public HartTestBench RunToPass(ulong maxInstructions = 2_000_000)
    {
        var reason = Machine.Run(new RunLimits(maxInstructions));
        Assert.That(reason, Is.EqualTo(StopReason.GuestExit), $"the test program did not finish: {reason}, pc=0x{Hart().PC:X}");
        Assert.That(Machine.ExitCode, Is.EqualTo(0));
        return this;
    }

    public ulong Mcause => X(27);
    public ulong Mepc => X(26);
    public ulong Mtval => X(25);
    public ulong TrapCount => X(24);
}
