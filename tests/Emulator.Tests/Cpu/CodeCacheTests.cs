using Emulator.Core;
using Emulator.Loaders;
using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>Decoded code is cached per page and dropped when the page is written.</summary>
[TestFixture]
public class CodeCacheTests
{
    /// <summary>
    /// `patch` returns 1; `replacement` holds the 4-byte instruction that makes it return 2. Programs end
    /// with it and copy `replacement` over `patch` to exercise code invalidation.
    /// </summary>
    internal const string PatchRoutine = """
            .align 2
        patch:
            .option push
            .option norvc
            addi a0, zero, 1
            ret
        replacement:
            addi a0, zero, 2
            .option pop
        """;

    [Test]
    public void StoreIntoExecutedCodeTakesEffect()
    {
        // Runs `patch` once (a0 = 1), rewrites its first instruction to `li a0, 2`, runs it again.
        var t = new HartTestBench("""
            call patch
            mv s2, a0
            la t0, patch
            la t1, replacement
            lw t2, 0(t1)
            sw t2, 0(t0)
            fence.i
            call patch
            mv s3, a0
            j pass
            """ + "\n" + PatchRoutine).RunToPass();
        Assert.That(t.X(18), Is.EqualTo(1UL));
        Assert.That(t.X(19), Is.EqualTo(2UL));
    }

    // Hart 1 rewrites `patch` while hart 0 keeps calling it; shared with TranslationTests.
    internal const string CrossHartPatchProgram = """
            csrr t0, mhartid
            bnez t0, writer
            1:  call patch               # hart 0 spins until patch returns 2
            li t1, 2
            bne a0, t1, 1b
            j pass
            writer:
            li t3, 20000
            2:  addi t3, t3, -1
            bnez t3, 2b
            la t0, patch
            la t1, replacement
            lw t2, 0(t1)
            sw t2, 0(t0)
            3:  j 3b
            """ + "\n" + PatchRoutine;

    [Test]
    public void AnotherHartsStoreInvalidatesCodeThisHartCached()
    {
        var t = new HartTestBench(CrossHartPatchProgram, harts: 2).RunToPass(5_000_000);
        Assert.That(t.X(10), Is.EqualTo(2UL));
    }

    [Test]
    public void MonitorStyleBusWriteAlsoInvalidatesDecodedCode()
    {
        var t = new HartTestBench("""
            1:  call patch
            li t1, 2
            bne a0, t1, 1b
            j pass
            """ + "\n" + PatchRoutine);
        Assert.That(t.Machine.Run(new RunLimits(10_000)), Is.EqualTo(StopReason.InstructionLimit));
        var patch = t.Symbol("patch");
        t.Machine.SystemBus.WriteDoubleWord(patch, t.Machine.SystemBus.ReadDoubleWord(t.Symbol("replacement")));
        t.RunToPass();
    }

    [Test]
    public void HtifExitCodeComesFromTohost()
    {
        var t = new HartTestBench("""
            .section .text.start
            .globl _start
            _start:
            la t0, tohost
            li t1, (21 << 1) | 1
            sd t1, 0(t0)
            1:  j 1b
            .section .data
            .align 3
            .globl tohost
            tohost: .dword 0
            """, rawSource: true);
        Assert.That(t.Machine.Run(new RunLimits(1000)), Is.EqualTo(StopReason.GuestExit));
        Assert.That(t.Machine.ExitCode, Is.EqualTo(21));
    }
}
