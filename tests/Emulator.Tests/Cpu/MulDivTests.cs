using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>The M extension, including the ISA manual's table of division by zero and overflow results.</summary>
[TestFixture]
public class MulDivTests
{
    private const int A0 = 10;

    private static ulong[] RunAndCollect(string body, int count)
    {
        var t = new HartTestBench(body).RunToPass();
        var results = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            results[i] = t.X(A0 + i);
        }
        return results;
    }

    [Test]
    public void HighMultipliesCoverSignedUnsignedAndMixed()
    {
        var r = RunAndCollect("""
            li t0, -2
            li t1, 3
            mulh a0, t0, t1          # high of -6 = -1
            mulhu a1, t0, t1         # (2^64-2)*3 >> 64 = 2
            mulhsu a2, t0, t1        # signed -2 * unsigned 3 -> -1
            mulhsu a3, t1, t0        # 3 * (2^64-2) >> 64 = 2
            mul a4, t0, t1
            li t2, 0x7fffffff
            mulw a5, t2, t2          # low 32 bits 0x00000001 -> 1
            """, 6);
        Assert.That(r, Is.EqualTo(new[] { ulong.MaxValue, 2UL, ulong.MaxValue, 2UL, unchecked((ulong)-6L), 1UL }));
    }

    [Test]
    public void DivisionByZeroAndOverflowFollowTheSpecTable()
    {
        var r = RunAndCollect("""
            li t0, 7
            div a0, t0, zero         # -1
            divu a1, t0, zero        # all ones
            rem a2, t0, zero         # dividend
            remu a3, t0, zero        # dividend
            li t1, 0x8000000000000000
            li t2, -1
            div a4, t1, t2           # overflow: dividend
            rem a5, t1, t2           # overflow: 0
            li t3, -7
            li t4, 2
            div a6, t3, t4           # rounds toward zero: -3
            rem a7, t3, t4           # sign of dividend: -1
            """, 8);
        Assert.That(r, Is.EqualTo(new[]
        {
            ulong.MaxValue, ulong.MaxValue, 7UL, 7UL, 0x8000000000000000UL, 0UL, unchecked((ulong)-3L), ulong.MaxValue,
        }));
    }

    [Test]
    public void WordDivisionsWorkOnLow32BitsAndSignExtend()
    {
        var r = RunAndCollect("""
            li t0, 0x80000000
            li t1, -1
            divw a0, t0, t1          # overflow in 32 bits -> 0xffffffff80000000
            remw a1, t0, t1          # 0
            divuw a2, t1, zero       # all ones (sign-extended 32-bit all ones)
            remuw a3, t0, zero       # dividend's low word, sign-extended
            li t2, 0x100000007       # upper bits ignored
            li t3, 2
            divw a4, t2, t3          # 3
            remw a5, t2, t3          # 1
            """, 6);
        Assert.That(r, Is.EqualTo(new[] { 0xFFFFFFFF80000000UL, 0UL, ulong.MaxValue, 0xFFFFFFFF80000000UL, 3UL, 1UL }));
    }
}
