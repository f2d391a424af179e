using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>Synchronous traps, privilege transitions and delegation, from the privileged specification.</summary>
[TestFixture]
public class TrapTests
{
    [Test]
    public void IllegalInstructionReportsCauseTwoAndTheInstructionBits()
    {
        var t = new HartTestBench("""
            .word 0xffffffff
            """).RunToPass();
        Assert.That(t.Mcause, Is.EqualTo(2UL));
        Assert.That(t.Mtval, Is.EqualTo(0xFFFFFFFFUL));
        Assert.That(t.Hart().Statistics.Traps, Is.EqualTo(1UL));
    }

    [Test]
    public void MisalignedLoadAndStoreTrapByDefaultWithTheAddressInMtval()
    {
        var t = new HartTestBench("""
            la t0, cell
            lw a0, 2(t0)
            mv a1, s11
            mv a2, s9
            sd a0, 1(t0)
            mv a3, s11
            j pass
            .section .data
            .align 3
            cell: .dword 0x1122334455667788, 0
            .section .text
            """).RunToPass();
        var cell = t.Symbol("cell");
        Assert.That(t.X(11), Is.EqualTo(4UL), "load address misaligned");
        Assert.That(t.X(12), Is.EqualTo(cell + 2));
        Assert.That(t.X(13), Is.EqualTo(6UL), "store address misaligned");
    }

    [Test]
    public void MisalignedAccessesSucceedWhenAllowed()
    {
        var t = new HartTestBench("""
            la t0, cell
            lw a0, 2(t0)
            li t1, 0xaabb
            sh t1, 7(t0)
            ld a1, 0(t0)
            j pass
            .section .data
            .align 3
            cell: .dword 0x1122334455667788, 0
            .section .text
            """, allowUnaligned: true).RunToPass();
        Assert.That(t.TrapCount, Is.Zero);
        Assert.That(t.X(10), Is.EqualTo(0x33445566UL));
        Assert.That(t.X(11), Is.EqualTo(0xBB22334455667788UL));
    }

    [Test]
    public void UnmappedAccessesAreAccessFaultsNotHostErrors()
    {
        var t = new HartTestBench("""
            li t0, 0x40000000
            ld a0, 0(t0)
            mv a1, s11
            mv a2, s9
            sd a0, 8(t0)
            mv a3, s11
            """).RunToPass();
        Assert.That(t.X(11), Is.EqualTo(5UL), "load access fault");
        Assert.That(t.X(12), Is.EqualTo(0x40000000UL));
        Assert.That(t.X(13), Is.EqualTo(7UL), "store access fault");
    }

    [Test]
    public void FetchFromUnmappedMemoryIsAnInstructionAccessFault()
    {
        var t = new HartTestBench("""
            la t0, fetch_handler
            csrw mtvec, t0
            li t1, 0x40000000
            jr t1
            .align 2
            fetch_handler:
            csrr a0, mcause
            csrr a1, mepc
            csrr a2, mtval
            j pass
            """).RunToPass();
        Assert.That(t.X(10), Is.EqualTo(1UL));
        Assert.That(t.X(11), Is.EqualTo(0x40000000UL));
        Assert.That(t.X(12), Is.EqualTo(0x40000000UL));
    }

    [Test]
    public void EcallCauseDependsOnThePrivilegeLevelAndMretReturnsToMpp()
    {
        // M -> U via mret, ecall from U traps to M with cause 8; then M -> S, ecall from S gives 9.
        var t = new HartTestBench("""
            la t0, m_handler
            csrw mtvec, t0
            li s2, 0
            la t0, user_code
            csrw mepc, t0
            li t1, 0x1800
            csrc mstatus, t1         # MPP = U
            mret
            user_code:
            ecall
            supervisor_code:
            ecall
            .align 2
            m_handler:
            csrr t2, mcause
            addi s2, s2, 1
            li t3, 1
            bne s2, t3, 1f
            mv a0, t2                # first trap: from U
            csrr a2, mstatus
            la t0, supervisor_code
            csrw mepc, t0
            li t1, 0x1800
            csrc mstatus, t1
            li t1, 0x0800
            csrs mstatus, t1         # MPP = S
            mret
            1:  mv a1, t2                # second trap: from S
            csrr a3, mstatus
            j pass
            """).RunToPass();
        Assert.That(t.X(10), Is.EqualTo(8UL));
        Assert.That(t.X(11), Is.EqualTo(9UL));
        Assert.That((t.X(12) >> 11) & 3, Is.EqualTo(0UL), "MPP records U");
        Assert.That((t.X(13) >> 11) & 3, Is.EqualTo(1UL), "MPP records S");
    }

    [Test]
    public void DelegatedExceptionsGoToSupervisorModeWithSepcAndScause()
    {
        var t = new HartTestBench("""
            la t0, s_handler
            csrw stvec, t0
            li t0, 0x100             # delegate ecall from U (cause 8)
            csrw medeleg, t0
            la t0, user_code
            csrw mepc, t0
            li t1, 0x1800
            csrc mstatus, t1
            mret
            user_code:
            ecall
            .align 2
            s_handler:
            csrr a0, scause
            csrr a1, sepc
            la a2, user_code
            csrr a3, sstatus
            ecall                    # from S, not delegated: to M
            """).RunToPass();
        Assert.That(t.X(10), Is.EqualTo(8UL));
        Assert.That(t.X(11), Is.EqualTo(t.X(12)));
        Assert.That(t.X(13) & 0x100, Is.Zero, "SPP = U");
        Assert.That(t.Mcause, Is.EqualTo(9UL), "ecall from S reached M");
    }

    [Test]
    public void MachineOnlyInstructionsAndCsrsAreIllegalInUserMode()
    {
        var t = new HartTestBench("""
            la t0, m_handler
            csrw mtvec, t0
            li s2, 0
            la t0, user_code
            csrw mepc, t0
            li t1, 0x1800
            csrc mstatus, t1
            mret
            user_code:
            csrr t3, mstatus         # illegal from U
            mret                     # illegal from U
            wfi                      # illegal from U (S-mode exists)
            j done
            .align 2
            m_handler:
            csrr t2, mcause
            slli s2, s2, 4
            or s2, s2, t2
            csrr t4, mepc
            addi t4, t4, 4
            csrw mepc, t4
            mret
            done:
            ecall
            """).RunToPass();
        Assert.That(t.X(18), Is.EqualTo(0x2228UL), "three illegal-instruction traps, then the ecall from U");
    }
}
