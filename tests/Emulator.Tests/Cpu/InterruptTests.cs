using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>Interrupts: mip/mie, global enables, priority order, vectored mode, delegation, WFI.</summary>
[TestFixture]
public class InterruptTests
{
    [Test]
    public void HighestPriorityPendingInterruptIsTakenFirst()
    {
        // MTIP (7) and MEIP (11) and MSIP (3) all pending: MEI, then MSI, then MTI.
        var t = new HartTestBench("""
            la t0, handler
            csrw mtvec, t0
            li s2, 0
            li t0, 0x888
            csrw mie, t0
            csrsi mstatus, 8         # MIE
            1:  j 1b
            .align 2
            handler:
            csrr t1, mcause
            andi t1, t1, 0xff
            slli s2, s2, 4
            or s2, s2, t1
            li t2, 1
            sll t2, t2, t1
            csrc mie, t2             # mask the one we took so the next is visible
            csrr t3, mie
            beqz t3, pass
            mret
            """);
        t.Hart().OnGPIO(7, true);
        t.Hart().OnGPIO(11, true);
        t.Hart().OnGPIO(3, true);
        t.RunToPass();
        Assert.That(t.X(18), Is.EqualTo(0xB37UL));
        Assert.That(t.Hart().Statistics.SoftwareInterruptsTaken, Is.EqualTo(1UL));
    }

    [Test]
    public void InterruptsWaitForGlobalEnableInMachineMode()
    {
        var t = new HartTestBench("""
            la t0, handler
            csrw mtvec, t0
            li t0, 0x80
            csrw mie, t0
            li a0, 0
            li t1, 1000
            1:  addi t1, t1, -1          # MIE clear: the pending MTIP must not be taken
            bnez t1, 1b
            li a0, 1
            csrsi mstatus, 8
            nop
            j pass
            .align 2
            handler:
            mv a1, a0                # records how far the loop got
            csrr a2, mcause
            li t0, 0x80
            csrc mie, t0
            mret
            """);
        t.Hart().OnGPIO(7, true);
        t.RunToPass();
        Assert.That(t.X(11), Is.EqualTo(1UL), "taken only after MIE was set");
        Assert.That(t.X(12), Is.EqualTo(0x8000000000000007UL));
    }

    [Test]
    public void VectoredModeJumpsToBasePlusFourTimesCause()
    {
        var t = new HartTestBench("""
            la t0, vectors
            ori t0, t0, 1
            csrw mtvec, t0
            li t0, 0x8
            csrw mie, t0
            csrsi mstatus, 8
            1:  j 1b
            .align 6
            .option push
            .option norvc
            vectors:
            j pass                   # 0: exceptions
            j bad
            j bad
            j msi                    # 3: machine software interrupt
            bad:
            li a0, 99
            j pass
            msi:
            li a0, 3
            j pass
            .option pop
            """);
        t.Hart().OnGPIO(3, true);
        t.RunToPass();
        Assert.That(t.X(10), Is.EqualTo(3UL));
    }

    [Test]
    public void DelegatedSupervisorSoftwareInterruptIsTakenInSupervisorMode()
    {
        var t = new HartTestBench("""
            la t0, s_handler
            csrw stvec, t0
            li t0, 0x2
            csrw mideleg, t0
            csrw mie, t0             # SSIE
            la t0, s_code
            csrw mepc, t0
            li t1, 0x1800
            csrc mstatus, t1
            li t1, 0x0800
            csrs mstatus, t1         # MPP = S
            mret
            s_code:
            csrsi sstatus, 2         # SIE
            csrsi sip, 2             # raise SSIP from S itself
            1:  j 1b
            .align 2
            s_handler:
            csrr a0, scause
            csrci sip, 2
            ecall
            """).RunToPass();
        Assert.That(t.X(10), Is.EqualTo(0x8000000000000001UL));
        Assert.That(t.Mcause, Is.EqualTo(9UL));
    }

    [Test]
    public void WfiSleepsUntilAnInterruptEnabledInMieEvenWithMieClear()
    {
        var t = new HartTestBench("""
            li t0, 0x8
            csrw mie, t0             # MSIE enabled, global MIE clear
            wfi
            li a0, 1                 # resumes here without taking the trap
            """);
        var machine = t.Machine;
        var reason = machine.Run(new RunLimits(100_000));
        Assert.That(reason, Is.EqualTo(StopReason.AllHartsIdle));
        Assert.That(t.Hart().IsWaitingForInterrupt, Is.True);
        t.Hart().OnGPIO(3, true);
        t.RunToPass();
        Assert.That(t.X(10), Is.EqualTo(1UL));
        Assert.That(t.TrapCount, Is.Zero);
        Assert.That(t.Hart().Statistics.WaitForInterrupt, Is.EqualTo(1UL));
    }

    [Test]
    public void IdleMachineJumpsVirtualTimeToTheNextEvent()
    {
        var t = new HartTestBench("""
            li t0, 0x8
            csrw mie, t0
            wfi
            li a0, 7
            """);
        var machine = t.Machine;
        machine.Clock.ScheduleAt(5_000_000_000, () => t.Hart().OnGPIO(3, true));
        t.RunToPass();
        Assert.That(t.X(10), Is.EqualTo(7UL));
        Assert.That(machine.Clock.Now, Is.GreaterThanOrEqualTo(5_000_000_000UL), "the clock jumped 5 s ahead");
        Assert.That(t.Hart().InstructionsExecuted, Is.LessThan(100UL), "without executing instructions to get there");
    }
}
