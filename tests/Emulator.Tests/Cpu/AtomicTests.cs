using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>The A extension: every AMO on both widths, LR/SC, and reservations broken by another hart.</summary>
[TestFixture]
public class AtomicTests
{
    private const int A0 = 10;

    // Memory starts at `initial`, the source register holds `operand`; returns (old value seen, memory after).
    [TestCase("amoswap", 5L, 9L, 5L, 9L)]
    [TestCase("amoadd", 5L, 9L, 5L, 14L)]
    [TestCase("amoxor", 6L, 3L, 6L, 5L)]
    [TestCase("amoand", 6L, 3L, 6L, 2L)]
    [TestCase("amoor", 6L, 3L, 6L, 7L)]
    [TestCase("amomin", -5L, 3L, -5L, -5L)]
    [TestCase("amomax", -5L, 3L, -5L, 3L)]
    [TestCase("amominu", -5L, 3L, -5L, 3L)]
    [TestCase("amomaxu", -5L, 3L, -5L, -5L)]
    public void DoublewordAmoReturnsOldValueAndStoresResult(string op, long initial, long operand, long expectedOld, long expectedMemory)
    {
        var t = new HartTestBench($"""
            la t0, cell
            li t1, {initial}
            sd t1, 0(t0)
            li t2, {operand}
            {op}.d a0, t2, (t0)
            ld a1, 0(t0)
            j pass
            .section .data
            .align 3
            cell: .dword 0
            .section .text
            """).RunToPass();
        Assert.That((long)t.X(A0), Is.EqualTo(expectedOld));
        Assert.That((long)t.X(A0 + 1), Is.EqualTo(expectedMemory));
        Assert.That(t.Hart().Statistics.AtomicMemoryOperations, Is.EqualTo(1UL));
    }

    [TestCase("amoswap", 0x80000000L, 1L, 1L)]
    [TestCase("amoadd", 0x7fffffffL, 1L, 0x80000000L)]
    [TestCase("amoxor", 0xf0f0f0f0L, 0xffL, 0xf0f0f00fL)]
    [TestCase("amoand", 0xf0f0f0f0L, 0xffL, 0xf0L)]
    [TestCase("amoor", 0xf0f0f0f0L, 0xfL, 0xf0f0f0ffL)]
    [TestCase("amomin", 0x80000000L, 1L, 0x80000000L)]
    [TestCase("amomax", 0x80000000L, 1L, 1L)]
    [TestCase("amominu", 0x80000000L, 1L, 1L)]
    [TestCase("amomaxu", 0x80000000L, 1L, 0x80000000L)]
    public void WordAmoWorksOn32BitsSignExtendsTheOldValueAndLeavesTheNeighbourAlone(string op, long initial, long operand, long expectedMemory)
    {
        var t = new HartTestBench($"""
            la t0, cell
            li t1, {initial}
            sw t1, 0(t0)
            li t3, 0x55555555
            sw t3, 4(t0)
            li t2, {operand}
            {op}.w a0, t2, (t0)
            lwu a1, 0(t0)
            lwu a2, 4(t0)
            j pass
            .section .data
            .align 3
            cell: .dword 0
            .section .text
            """).RunToPass();
        Assert.That(t.X(A0), Is.EqualTo((ulong)(long)(int)initial), "old value is sign-extended from 32 bits");
        Assert.That(t.X(A0 + 1), Is.EqualTo((ulong)expectedMemory & 0xFFFFFFFF));
        Assert.That(t.X(A0 + 2), Is.EqualTo(0x55555555UL));
    }

    [Test]
    public void StoreConditionalSucceedsAfterLoadReservedAndFailsWithoutReservation()
    {
        var t = new HartTestBench("""
            la t0, cell
            lr.d t1, (t0)
            addi t1, t1, 1
            sc.d a0, t1, (t0)        # succeeds: 0
            sc.d a1, t1, (t0)        # reservation consumed: fails with 1
            ld a2, 0(t0)
            lr.w t2, (t0)
            sc.w a3, zero, (t0)      # word pair succeeds
            j pass
            .section .data
            .align 3
            cell: .dword 41
            .section .text
            """).RunToPass();
        Assert.That(t.X(A0), Is.Zero);
        Assert.That(t.X(A0 + 1), Is.EqualTo(1UL));
        Assert.That(t.X(A0 + 2), Is.EqualTo(42UL));
        Assert.That(t.X(A0 + 3), Is.Zero);
        Assert.That(t.Hart().Statistics.StoreConditionalFailures, Is.EqualTo(1UL));
    }

    [Test]
    public void AnotherHartsStoreToTheGranuleBreaksTheReservation()
    {
        // Hart 0 takes a reservation, then waits for hart 1 to store to the same doubleword; its SC must fail.
        var t = new HartTestBench("""
            csrr t0, mhartid
            la t1, cell
            la t2, flag
            bnez t0, other
            lr.d t3, (t1)
            li t4, 1
            sd t4, 0(t2)             # tell hart 1 to go (a different granule)
            1:  ld t5, 8(t2)             # wait for hart 1's done flag
            beqz t5, 1b
            sc.d a0, t4, (t1)
            j pass
            other:
            2:  ld t5, 0(t2)
            beqz t5, 2b
            li t6, 7
            sw t6, 4(t1)             # store to the reserved granule
            li t6, 1
            sd t6, 8(t2)
            3:  j 3b
            .section .data
            .align 3
            cell: .dword 0
            flag: .dword 0, 0
            .section .text
            """, harts: 2).RunToPass();
        Assert.That(t.X(A0, hart: 0), Is.EqualTo(1UL), "SC after a foreign store to the reserved granule fails");
    }

    [Test]
    public void MisalignedAtomicTrapsEvenWhenPlainAccessesMayBeMisaligned()
    {
        var t = new HartTestBench("""
            la t0, cell
            addi t0, t0, 4
            amoadd.d a0, zero, (t0)
            j pass
            .section .data
            .align 3
            cell: .dword 0, 0
            .section .text
            """, allowUnaligned: true).RunToPass();
        Assert.That(t.Mcause, Is.EqualTo(6UL), "store/AMO address misaligned");
        Assert.That(t.Mtval, Is.EqualTo(t.Symbol("cell") + 4));
    }
}
