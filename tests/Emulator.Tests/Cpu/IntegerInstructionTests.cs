using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>RV64I behaviour from the ISA manual: sign extension of W forms, shifts, compares, loads, jumps.</summary>
[TestFixture]
public class IntegerInstructionTests
{
    private const int A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17;

    [Test]
    public void WordOperationsSignExtendTheir32BitResult()
    {
        var t = new HartTestBench("""
            li t0, 0x7fffffff
            addiw a0, t0, 1          # overflows to 0x80000000, sign-extended
            li t1, 0xffffffff80000000
            sraiw a1, t1, 4          # arithmetic on the low word
            li t2, 1
            sllw a2, t2, 31          # 0x80000000 -> negative
            li t3, 0x100000000
            addw a3, t3, zero        # upper bits dropped -> 0
            li t4, -8
            srliw a4, t4, 1          # logical shift of low word, result bit 31 is 0
            subw a5, zero, t2        # -1
            """).RunToPass();
        Assert.Multiple(() =>
        {
            Assert.That(t.X(A0), Is.EqualTo(0xFFFFFFFF80000000));
            Assert.That(t.X(A1), Is.EqualTo(0xFFFFFFFFF8000000));
            Assert.That(t.X(A2), Is.EqualTo(0xFFFFFFFF80000000));
            Assert.That(t.X(A3), Is.EqualTo(0UL));
            Assert.That(t.X(A4), Is.EqualTo(0x7FFFFFFCUL));
            Assert.That(t.X(A5), Is.EqualTo(ulong.MaxValue));
        });
    }

    [Test]
    public void ShiftsUseSixBitAmountsAndArithmeticShiftKeepsSign()
    {
        var t = new HartTestBench("""
            li t0, -16
            li t1, 66                # shift amount 66 & 63 = 2
            sra a0, t0, t1
            srl a1, t0, t1
            sll a2, t0, t1
            srai a3, t0, 63
            slli a4, t0, 63
            """).RunToPass();
        Assert.Multiple(() =>
        {
            Assert.That(t.X(A0), Is.EqualTo(unchecked((ulong)-4L)));
            Assert.That(t.X(A1), Is.EqualTo(0x3FFFFFFFFFFFFFFCUL));
            Assert.That(t.X(A2), Is.EqualTo(unchecked((ulong)-64L)));
            Assert.That(t.X(A3), Is.EqualTo(ulong.MaxValue));
            Assert.That(t.X(A4), Is.EqualTo(0UL));
        });
    }

    [Test]
    public void ComparesDistinguishSignedAndUnsigned()
    {
        var t = new HartTestBench("""
            li t0, -1
            li t1, 1
            slt a0, t0, t1
            sltu a1, t0, t1
            slti a2, t0, 0
            sltiu a3, t1, -1         # immediate sign-extends to all ones, compared unsigned
            sltiu a4, zero, 1        # seqz
            """).RunToPass();
        Assert.That(new[] { t.X(A0), t.X(A1), t.X(A2), t.X(A3), t.X(A4) }, Is.EqualTo(new ulong[] { 1, 0, 1, 1, 1 }));
    }

    [Test]
    public void LoadsSignOrZeroExtendAndStoresWriteOnlyTheirWidth()
    {
        var t = new HartTestBench("""
            la t0, buf
            li t1, 0x8081828384858687
            sd t1, 0(t0)
            lb a0, 0(t0)
            lbu a1, 0(t0)
            lh a2, 0(t0)
            lhu a3, 0(t0)
            lw a4, 4(t0)
            lwu a5, 4(t0)
            li t2, 0x11
            sb t2, 1(t0)
            sh t2, 2(t0)
            ld a6, 0(t0)
            sw zero, 4(t0)
            ld a7, 0(t0)
            j pass
            .section .data
            .align 3
            buf: .dword 0
            .section .text
            """).RunToPass();
        Assert.Multiple(() =>
        {
            Assert.That(t.X(A0), Is.EqualTo(0xFFFFFFFFFFFFFF87));
            Assert.That(t.X(A1), Is.EqualTo(0x87UL));
            Assert.That(t.X(A2), Is.EqualTo(0xFFFFFFFFFFFF8687));
            Assert.That(t.X(A3), Is.EqualTo(0x8687UL));
            Assert.That(t.X(A4), Is.EqualTo(0xFFFFFFFF80818283));
            Assert.That(t.X(A5), Is.EqualTo(0x80818283UL));
            Assert.That(t.X(A6), Is.EqualTo(0x8081828300111187UL));
            Assert.That(t.X(A7), Is.EqualTo(0x0000000000111187UL));
        });
    }

    [Test]
    public void JumpsLinkTheNextInstructionAndJalrClearsBitZero()
    {
        var t = new HartTestBench("""
            jal a0, 1f
            back:
            j 2f
            1:  la t0, target
            addi t0, t0, 1           # odd address: JALR must clear bit 0
            jalr a1, 0(t0)
            after_jalr:
            li a4, 99                # skipped by the jump
            target:
            la a2, after_jalr
            la a3, back
            2:
            """).RunToPass();
        Assert.That(t.X(A0), Is.EqualTo(t.X(A3)), "jal links the address after itself");
        Assert.That(t.X(A1), Is.EqualTo(t.X(A2)), "jalr links the instruction after itself");
        Assert.That(t.X(A4), Is.Zero, "jalr to target|1 lands on target");
    }

    [Test]
    public void BranchesTakeSignedAndUnsignedDecisions()
    {
        var t = new HartTestBench("""
            li a0, 0
            li t0, -1
            li t1, 1
            blt t0, t1, 1f
            ori a0, a0, 1            # must be skipped
            1:  bltu t0, t1, 2f
            ori a0, a0, 2            # must run: unsigned -1 is large
            2:  bge t1, t0, 3f
            ori a0, a0, 4
            3:  bgeu t1, t0, 4f
            ori a0, a0, 8            # must run
            4:  beq t0, t0, 5f
            ori a0, a0, 16
            5:  bne t0, t0, 6f
            ori a0, a0, 32           # must run
            6:
            """).RunToPass();
        Assert.That(t.X(A0), Is.EqualTo(2UL | 8UL | 32UL));
    }

    [Test]
    public void LuiAndAuipcSignExtendTheirImmediate()
    {
        var t = new HartTestBench("""
            lui a0, 0x80000
            here:
            auipc a1, 0
            la a2, here
            there:
            auipc a3, 0xfffff        # negative upper immediate: pc - 0x1000
            la a4, there
            """).RunToPass();
        Assert.That(t.X(A0), Is.EqualTo(0xFFFFFFFF80000000));
        Assert.That(t.X(A1), Is.EqualTo(t.X(A2)));
        Assert.That(t.X(A3), Is.EqualTo(t.X(A4) - 0x1000));
    }
}
