namespace Emulator.Peripherals.CPU;

public sealed partial class RiscV64
{
    // Standard priority: MEI, MSI, MTI, SEI, SSI, STI.
    private static readonly int[] InterruptPriority = { 11, 3, 7, 9, 1, 5 };

    /// <summary>Takes a synchronous exception at the current pc.</summary>
    private void RaiseException(ulong cause, ulong tval)
    {
        Statistics.Traps++;
        var toSupervisor = privilege != PrivilegeLevel.Machine && ((medeleg >> (int)cause) & 1) != 0;
        EnterTrap(cause, tval, toSupervisor, false);
    }

    /// <summary>Returns the interrupt to take now, or -1. Honors mie, mideleg and the global enables of each mode.</summary>
    private int PendingInterrupt()
    {
        var pending = ReadMip() & mie;
        if (pending == 0)
        {
            return -1;
        }
        var mEnabled = privilege != PrivilegeLevel.Machine || (mstatus & MieBit) != 0;
        var sEnabled = privilege == PrivilegeLevel.User || (privilege == PrivilegeLevel.Supervisor && (mstatus & SieBit) != 0);
        var mPending = mEnabled ? pending & ~mideleg : 0;
        var sPending = sEnabled ? pending & mideleg : 0;
        var candidates = mPending != 0 ? mPending : sPending;
        if (candidates == 0)
        {
            return -1;
        }
        foreach (var i in InterruptPriority)
        {
            if (((candidates >> i) & 1) != 0)
            {
                return i;
            }
        }
        return -1;
    }

    private void TakeInterrupt(int number)
    {
        Statistics.Traps++;
        switch (number)
        {
            case 3: case 1: Statistics.SoftwareInterruptsTaken++; break;
            case 7: case 5: Statistics.TimerInterruptsTaken++; break;
            default: Statistics.ExternalInterruptsTaken++; break;
        }
        var toSupervisor = ((mideleg >> number) & 1) != 0 && privilege != PrivilegeLevel.Machine;
        EnterTrap((ulong)number, 0, toSupervisor, true);
    }

    private void EnterTrap(ulong cause, ulong tval, bool toSupervisor, bool isInterrupt)
    {
        machine?.Trace?.Trap((int)HartId, cause, isInterrupt, pc, tval);
        waitingForInterrupt = false;
        ClearReservation();
        var causeValue = isInterrupt ? (1UL << 63) | cause : cause;
        if (toSupervisor)
        {
            sepc = pc;
            scause = causeValue;
            stval = tval;
            var spp = privilege == PrivilegeLevel.Supervisor ? SppBit : 0;
            var spie = (mstatus & SieBit) != 0 ? SpieBit : 0;
            mstatus = (mstatus & ~(SppBit | SpieBit | SieBit)) | spp | spie;
            privilege = PrivilegeLevel.Supervisor;
            pc = VectorAddress(stvec, cause, isInterrupt);
        }
        else
        {
            mepc = pc;
            mcause = causeValue;
            mtval = tval;
            var mpp = (ulong)privilege << MppShift;
            var mpie = (mstatus & MieBit) != 0 ? MpieBit : 0;
            mstatus = (mstatus & ~(MppMask | MpieBit | MieBit)) | mpp | mpie;
            privilege = PrivilegeLevel.Machine;
            pc = VectorAddress(mtvec, cause, isInterrupt);
        }
        attention = true;
        UpdateTranslationState();
    }

    private static ulong VectorAddress(ulong tvec, ulong cause, bool isInterrupt)
    {
        var baseAddress = tvec & ~3UL;
        return isInterrupt && (tvec & 3) == 1 ? baseAddress + 4 * cause : baseAddress;
    }

    private void ReturnFromMachineTrap()
    {
        var mpp = (PrivilegeLevel)((mstatus >> MppShift) & 3);
        var mie = (mstatus & MpieBit) != 0 ? MieBit : 0;
        mstatus = (mstatus & ~(MieBit | MppMask)) | mie | MpieBit;
        if (mpp != PrivilegeLevel.Machine)
        {
            mstatus &= ~MprvBit;
        }
        privilege = mpp;
        pc = mepc;
        attention = true;
        UpdateTranslationState();
    }

    private void ReturnFromSupervisorTrap()
    {
        var spp = (mstatus & SppBit) != 0 ? PrivilegeLevel.Supervisor : PrivilegeLevel.User;
        var sie = (mstatus & SpieBit) != 0 ? SieBit : 0;
        mstatus = (mstatus & ~(SieBit | SppBit)) | sie | SpieBit;
        mstatus &= ~MprvBit;
        privilege = spp;
        pc = sepc;
        attention = true;
        UpdateTranslationState();
    }
}
