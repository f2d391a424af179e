using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>RV64C: each compressed form the assembler emits, checked against its expansion's result.</summary>
[TestFixture]
public class CompressedTests
{
    [Test]
    public void CompressedArithmeticAndMoves()
    {
        var t = new HartTestBench("""
            c.li a0, -7
            c.addi a0, 3             # -4
            c.li a1, 5
            c.addiw a1, 1            # 6
            c.lui a2, 0xfffff        # sign-extended upper immediate
            c.mv a3, a0
            c.add a3, a1             # 2
            c.li a4, 12
            c.li a5, 10
            c.sub a4, a5             # 2
            c.li s0, 6
            c.li s1, 3
            c.xor s0, s1             # 5
            c.or s0, s1              # 7
            c.and s0, s1             # 3
            mv t4, s0
            c.li s0, -1
            c.li s1, 1
            c.addw s0, s1            # 0
            mv a6, s0
            c.li t0, 1
            c.slli t0, 40
            mv a7, t0
            li s1, -64
            c.srai s1, 4             # -4
            mv t1, s1
            li s1, -64
            c.srli s1, 60            # 15
            mv t2, s1
            li s1, 0xff
            c.andi s1, 0x0c          # 12
            mv t3, s1
            """).RunToPass();
        Assert.Multiple(() =>
        {
            Assert.That((long)t.X(10), Is.EqualTo(-4));
            Assert.That(t.X(11), Is.EqualTo(6UL));
            Assert.That(t.X(12), Is.EqualTo(0xFFFFFFFFFFFFF000UL));
            Assert.That(t.X(13), Is.EqualTo(2UL));
            Assert.That(t.X(14), Is.EqualTo(2UL));
            Assert.That(t.X(29), Is.EqualTo(3UL));
            Assert.That(t.X(16), Is.EqualTo(0UL));
            Assert.That(t.X(17), Is.EqualTo(1UL << 40));
            Assert.That((long)t.X(6), Is.EqualTo(-4));
            Assert.That(t.X(7), Is.EqualTo(15UL));
            Assert.That(t.X(28), Is.EqualTo(12UL));
        });
    }

    [Test]
    public void CompressedStackPointerFormsAndLoadsStores()
    {
        var t = new HartTestBench("""
            la sp, stack_top
            c.addi16sp sp, -64
            c.addi4spn s0, sp, 16    # s0 = sp + 16
            li a0, 0x1122334455667788
            c.sdsp a0, 8(sp)
            c.ldsp a1, 8(sp)
            c.swsp a0, 4(sp)
            c.lwsp a2, 4(sp)         # sign-extended 0x55667788
            c.sd a0, 8(s0)
            c.ld a3, 8(s0)
            c.sw a0, 4(s0)
            c.lw a4, 4(s0)
            sub a5, s0, sp
            la a6, stack_top
            sub a6, a6, sp           # 64
            j pass
            .section .data
            .align 4
            .space 256
            stack_top:
            .section .text
            """).RunToPass();
        Assert.Multiple(() =>
        {
            Assert.That(t.X(11), Is.EqualTo(0x1122334455667788UL));
            Assert.That(t.X(12), Is.EqualTo(0x55667788UL));
            Assert.That(t.X(13), Is.EqualTo(0x1122334455667788UL));
            Assert.That(t.X(14), Is.EqualTo(0x55667788UL));
            Assert.That(t.X(15), Is.EqualTo(16UL));
            Assert.That(t.X(16), Is.EqualTo(64UL));
        });
    }

    [Test]
    public void CompressedControlTransfers()
    {
        var t = new HartTestBench("""
            li a0, 0
            c.li s0, 0
            c.beqz s0, 1f
            ori a0, a0, 1            # skipped
            1:  c.li s1, 1
            c.bnez s1, 2f
            ori a0, a0, 2            # skipped
            2:  c.j 3f
            ori a0, a0, 4            # skipped
            3:  la t0, 4f
            c.jr t0
            ori a0, a0, 8            # skipped
            4:  la t1, 5f
            c.jalr t1
            after_jalr:
            j 6f
            5:  mv a1, ra
            c.jr ra
            6:  la a2, after_jalr
            """).RunToPass();
        Assert.That(t.X(10), Is.Zero);
        Assert.That(t.X(11), Is.EqualTo(t.X(12)), "c.jalr links pc + 2");
    }

    [Test]
    public void CompressedEbreakAndIllegalZeroWordTrap()
    {
        var t = new HartTestBench("""
            c.ebreak
            c.nop                    # the handler skips 4 bytes: c.ebreak + c.nop
            mv a0, s11
            .word 0x00000000         # all-zero is a defined illegal instruction
            mv a1, s11
            mv a2, s9
            """).RunToPass();
        Assert.That(t.X(10), Is.EqualTo(3UL), "breakpoint");
        Assert.That(t.X(11), Is.EqualTo(2UL), "illegal instruction");
        Assert.That(t.X(12), Is.Zero, "mtval holds the (zero) instruction bits");
    }
}
