using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>CSRs: identity registers, WARL fields, counters with exact retirement rules, event counters.</summary>
[TestFixture]
public class CsrTests
{
    [Test]
    public void IdentityRegistersDescribeAnRv64imacHartWithSupervisorAndUser()
    {
        var t = new HartTestBench("""
            csrr a0, misa
            csrr a1, mhartid
            csrr a2, mvendorid
            csrr a3, mstatus
            """, harts: 1).RunToPass();
        var misa = t.X(10);
        Assert.That(misa >> 62, Is.EqualTo(2UL), "MXL = 64");
        foreach (var letter in "imacsu")
        {
            Assert.That((misa >> (letter - 'a')) & 1, Is.EqualTo(1UL), $"misa has {letter}");
        }
        Assert.That((misa >> ('f' - 'a')) & 1, Is.Zero, "no F");
        Assert.That(t.X(11), Is.Zero);
        Assert.That((t.X(13) >> 32) & 0xF, Is.EqualTo(0xAUL), "UXL = SXL = 64");
    }

    [Test]
    public void MhartidDiffersPerHart()
    {
        var t = new HartTestBench("""
            csrr a0, mhartid
            la t0, seen
            slli t1, a0, 3
            add t1, t0, t1
            addi t2, a0, 1
            sd t2, 0(t1)             # seen[hartid] = hartid + 1
            bnez a0, 2f
            1:  ld t3, 8(t0)
            beqz t3, 1b
            ld t3, 16(t0)
            beqz t3, 1b
            j pass
            2:  j 2b
            .section .data
            .align 3
            seen: .dword 0, 0, 0
            .section .text
            """, harts: 3).RunToPass();
        Assert.That(t.X(10, hart: 0), Is.EqualTo(0UL));
        Assert.That(t.X(10, hart: 1), Is.EqualTo(1UL));
        Assert.That(t.X(10, hart: 2), Is.EqualTo(2UL));
    }

    [Test]
    public void MppIsWarlAndRejectsTheReservedValue()
    {
        var t = new HartTestBench("""
            li t0, 0x1800
            csrs mstatus, t0         # MPP = M
            li t0, 0x1800
            csrc mstatus, t0
            li t0, 0x1000
            csrs mstatus, t0         # MPP = 2 is illegal: keep U
            csrr a0, mstatus
            """).RunToPass();
        Assert.That((t.X(10) >> 11) & 3, Is.EqualTo(0UL));
    }

    [Test]
    public void WriteToMinstretSuppressesThatInstructionsOwnIncrement()
    {
        var t = new HartTestBench("""
            li t0, 100
            csrw minstret, t0
            csrr a0, minstret        # the write's own retirement is not counted: 100
            csrr a1, minstret        # one more retired instruction: 101
            """).RunToPass();
        Assert.That(t.X(10), Is.EqualTo(100UL));
        Assert.That(t.X(11), Is.EqualTo(101UL));
    }

    [Test]
    public void InstretCountsRetiredInstructionsExactly()
    {
        var t = new HartTestBench("""
            csrr a0, instret
            nop
            nop
            nop
            csrr a1, instret
            sub a2, a1, a0
            """).RunToPass();
        Assert.That(t.X(12), Is.EqualTo(4UL), "three nops and the csrr that reads the count");
    }

    [Test]
    public void CountInhibitFreezesInstret()
    {
        var t = new HartTestBench("""
            csrwi mcountinhibit, 4
            csrr a0, minstret
            nop
            nop
            csrr a1, minstret
            csrwi mcountinhibit, 0
            nop
            csrr a2, minstret
            """).RunToPass();
        Assert.That(t.X(11), Is.EqualTo(t.X(10)));
        Assert.That(t.X(12), Is.GreaterThan(t.X(11)));
    }

    [Test]
    public void EventCounterCountsAtomicsAndStaysStillForPlainStores()
    {
        var t = new HartTestBench("""
            li t0, 5                 # all atomics
            csrw mhpmevent3, t0
            li t0, 1                 # AMOs only
            csrw mhpmevent4, t0
            li t0, 9                 # fences
            csrw mhpmevent5, t0
            csrw mhpmcounter3, zero
            la t1, cell
            sd t0, 0(t1)
            csrr a0, mhpmcounter3    # plain store: 0
            amoadd.d zero, t0, (t1)
            lr.d t2, (t1)
            sc.d t2, t2, (t1)
            fence
            fence.i
            csrr a1, mhpmcounter3    # amo + lr + sc = 3
            csrr a2, mhpmcounter4    # 1
            csrr a3, mhpmcounter5    # 2
            csrr a4, mhpmevent3
            j pass
            .section .data
            .align 3
            cell: .dword 0
            .section .text
            """).RunToPass();
        Assert.That(t.X(10), Is.Zero);
        Assert.That(t.X(11), Is.EqualTo(3UL));
        Assert.That(t.X(12), Is.EqualTo(1UL));
        Assert.That(t.X(13), Is.EqualTo(2UL));
        Assert.That(t.X(14), Is.EqualTo(5UL));
    }

    [Test]
    public void CountersAreIllegalFromUserModeUnlessEnabledInMcounteren()
    {
        var t = new HartTestBench("""
            la t0, m_handler
            csrw mtvec, t0
            li s2, 0
            la t0, user1
            csrw mepc, t0
            li t1, 0x1800
            csrc mstatus, t1
            mret
            user1:
            rdcycle t3               # illegal: mcounteren = 0
            ecall
            .align 2
            m_handler:
            csrr t2, mcause
            addi s2, s2, 1
            li t4, 1
            bne s2, t4, 1f
            mv a0, t2                # illegal instruction
            csrr t4, mepc
            addi t4, t4, 4
            csrw mepc, t4
            mret
            1:  li t4, 2
            bne s2, t4, 2f
            mv a1, t2                # ecall from U
            li t4, 7
            csrw mcounteren, t4
            csrw scounteren, t4
            la t0, user2
            csrw mepc, t0
            mret
            user2:
            rdinstret a2             # now allowed
            ecall
            2:  j pass
            """).RunToPass();
        Assert.That(t.X(10), Is.EqualTo(2UL));
        Assert.That(t.X(11), Is.EqualTo(8UL));
        Assert.That(t.X(12), Is.GreaterThan(0UL));
    }

    [Test]
    public void DebugTriggerAndPmpCsrsExist()
    {
        var t = new HartTestBench("""
            csrw tselect, zero
            csrr a0, tdata1
            li t0, 0x1f
            csrw pmpcfg0, t0
            csrr a1, pmpcfg0
            li t0, 0x12345
            csrw pmpaddr3, t0
            csrr a2, pmpaddr3
            csrr a3, menvcfg
            """).RunToPass();
        Assert.That(t.TrapCount, Is.Zero);
        Assert.That(t.X(11), Is.EqualTo(0x1FUL));
        Assert.That(t.X(12), Is.EqualTo(0x12345UL));
    }
}
