using Emulator.Core;

namespace Emulator.Peripherals.CPU;

public sealed partial class RiscV64
{
    private const ulong SieBit = 1UL << 1;
    private const ulong MieBit = 1UL << 3;
    private const ulong SpieBit = 1UL << 5;
    private const ulong MpieBit = 1UL << 7;
    private const ulong SppBit = 1UL << 8;
    private const int MppShift = 11;
    private const ulong MppMask = 3UL << MppShift;
    private const ulong MprvBit = 1UL << 17;
    private const ulong SumBit = 1UL << 18;
    private const ulong MxrBit = 1UL << 19;
    private const ulong TvmBit = 1UL << 20;
    private const ulong TwBit = 1UL << 21;
    private const ulong TsrBit = 1UL << 22;
    private const ulong XlenFields = (2UL << 32) | (2UL << 34); // UXL = SXL = 64-bit, read-only

    private const ulong MstatusWritable = SieBit | MieBit | SpieBit | MpieBit | SppBit | MppMask | MprvBit | SumBit | MxrBit | TvmBit | TwBit | TsrBit;
    private const ulong SstatusMask = SieBit | SpieBit | SppBit | SumBit | MxrBit | (3UL << 32);

    // Interrupt bits that M-mode software may set in mip; the rest come from GPIO lines.
    private const ulong MipSoftwareWritable = (1UL << 1) | (1UL << 5) | (1UL << 9);
    private const ulong SupervisorInterrupts = (1UL << 1) | (1UL << 5) | (1UL << 9);
    private const ulong AllInterrupts = 0xAAA;

    // Exceptions that may be delegated: everything but ecall-from-M (11).
    private const ulong MedelegWritable = 0xB3FF;

    private const int EventCounterCount = 8;

    private readonly ulong misa;
    private ulong mstatus;
    private ulong medeleg;
    private ulong mideleg;
    private ulong mie;
    private ulong mipLines;
    private ulong mipSoft;
    private ulong mtvec;
    private ulong mcounteren;
    private ulong scounteren;
    private ulong mscratch;
    private ulong mepc;
    private ulong mcause;
    private ulong mtval;
    private ulong stvec;
    private ulong sscratch;
    private ulong sepc;
    private ulong scause;
    private ulong stval;
    private ulong satp;
    private ulong menvcfg;
    private ulong senvcfg;
    private ulong mcountinhibit;
    private ulong tselect;
    private readonly ulong[] pmpcfg = new ulong[16];
    private readonly ulong[] pmpaddr = new ulong[64];

    // mcycle/minstret are the live counts plus an offset that CSR writes adjust; inhibited counters freeze.
    private ulong cycleOffset;
    private ulong instretOffset;
    private ulong cycleFrozen;
    private ulong instretFrozen;
    private readonly HartEvent[] eventSelectors = new HartEvent[EventCounterCount];
    private readonly ulong[] eventOffsets = new ulong[EventCounterCount];
    private readonly ulong[] eventFrozen = new ulong[EventCounterCount];

    private static ulong ParseCpuType(string cpuType)
    {
        var type = cpuType.ToLowerInvariant();
        if (!type.StartsWith("rv64", StringComparison.Ordinal))
        {
            throw new EmulationException($"cpuType '{cpuType}' is not supported: it must start with rv64 (for example rv64imac_zicsr_zifencei)");
        }
        var letters = type.Substring(4).Split('_')[0];
        ulong isa = 2UL << 62;
        foreach (var c in letters)
        {
            var ext = c == 'g' ? "imafd" : c.ToString();
            foreach (var e in ext)
            {
                if (e is 'i' or 'm' or 'a' or 'c')
                {
                    isa |= 1UL << (e - 'a');
                }
                else if (e is 'f' or 'd' or 'v' or 'b' or 'e' or 'h')
                {
                    throw new EmulationException($"cpuType '{cpuType}': extension '{e}' is not implemented by this emulator (supported: i, m, a, c, zicsr, zifencei)");
                }
                else if (e is not ('s' or 'u'))
                {
                    throw new EmulationException($"cpuType '{cpuType}': unknown extension letter '{e}'");
                }
            }
        }
        if ((isa & (1UL << ('i' - 'a'))) == 0)
        {
            throw new EmulationException($"cpuType '{cpuType}' lacks the base integer ISA 'i'");
        }
        // Supervisor and user modes are always present (Renode's default privilegeLevels).
        isa |= (1UL << ('s' - 'a')) | (1UL << ('u' - 'a'));
        return isa;
    }

    private void ResetCsrs()
    {
        mstatus = XlenFields;
        medeleg = mideleg = mie = mipSoft = 0;
        mtvec = mcounteren = scounteren = mscratch = mepc = mcause = mtval = 0;
        stvec = sscratch = sepc = scause = stval = satp = 0;
        menvcfg = senvcfg = mcountinhibit = tselect = 0;
        Array.Clear(pmpcfg);
        Array.Clear(pmpaddr);
        cycleOffset = instretOffset = cycleFrozen = instretFrozen = 0;
        Array.Clear(eventSelectors);
        Array.Clear(eventOffsets);
        Array.Clear(eventFrozen);
        // A reset forgets every translation, whatever the key says.
        tlbFetchKey = tlbDataKey = -1;
        FlushTlb();
        UpdateTranslationState();
    }

    private ulong ReadMip() => mipLines | mipSoft;

    private ulong LiveCycle => executedTotal + cycleOffset;

    private ulong LiveInstret => retired + instretOffset;

    private ulong ReadCycle() => (mcountinhibit & 1) != 0 ? cycleFrozen : LiveCycle;

    private ulong ReadInstret() => (mcountinhibit & 4) != 0 ? instretFrozen : LiveInstret;

    private ulong EventCount(HartEvent e) => e switch
    {
        HartEvent.AtomicMemoryOperations => Statistics.AtomicMemoryOperations,
        HartEvent.LoadReserved => Statistics.LoadReserved,
        HartEvent.StoreConditional => Statistics.StoreConditional,
        HartEvent.StoreConditionalFailures => Statistics.StoreConditionalFailures,
        HartEvent.AllAtomics => Statistics.AtomicMemoryOperations + Statistics.LoadReserved + Statistics.StoreConditional,
        HartEvent.SoftwareInterruptsTaken => Statistics.SoftwareInterruptsTaken,
        HartEvent.TrapsTaken => Statistics.Traps,
        HartEvent.WaitForInterrupt => Statistics.WaitForInterrupt,
        HartEvent.Fences => Statistics.Fences,
        HartEvent.TimerInterruptsTaken => Statistics.TimerInterruptsTaken,
        HartEvent.ExternalInterruptsTaken => Statistics.ExternalInterruptsTaken,
        HartEvent.LineTransfersByLoads => Statistics.LineTransfersByLoads,
        HartEvent.LineTransfersByStores => Statistics.LineTransfersByStores,
        HartEvent.LineTransfersByAtomics => Statistics.LineTransfersByAtomics,
        HartEvent.LineTransfers => Statistics.LineTransfers,
        HartEvent.FalseSharingTransfers => Statistics.FalseSharingTransfers,
        HartEvent.MachineLineTransfers => MachineLineTransfers(),
        _ => 0,
    };

    private ulong ReadEventCounter(int i) =>
        (mcountinhibit & (1UL << (i + 3))) != 0 ? eventFrozen[i] : EventCount(eventSelectors[i]) + eventOffsets[i];

    private ulong ReadTime()
    {
        if (TimeProvider != null)
        {
            return TimeProvider.TimerValue;
        }
        // Without a CLINT, time runs at 10 MHz of virtual time, as on QEMU virt.
        return machine == null ? 0 : machine.Clock.Now / 100;
    }

    /// <summary>Whether the current privilege may read counter <paramref name="index"/> (0 cycle, 1 time, 2 instret, 3.. hpm).</summary>
    private bool CounterAccessible(int index)
    {
        if (privilege == PrivilegeLevel.Machine)
        {
            return true;
        }
        if (((mcounteren >> index) & 1) == 0)
        {
            return false;
        }
        return privilege == PrivilegeLevel.Supervisor || ((scounteren >> index) & 1) != 0;
    }

    /// <summary>CSR read with privilege checks. Returns false for an illegal access.</summary>
    private bool TryReadCsr(int csr, out ulong value)
    {
        value = 0;
        if (((csr >> 8) & 3) > (int)privilege)
        {
            return false;
        }
        if (csr == 0x180 && privilege == PrivilegeLevel.Supervisor && (mstatus & TvmBit) != 0)
        {
            return false;
        }
        return ReadCsrUnchecked(csr, out value);
    }

    private bool ReadCsrUnchecked(int csr, out ulong value)
    {
        value = 0;
        switch (csr)
        {
            case 0x100: value = mstatus & SstatusMask; return true;
            case 0x104: value = mie & mideleg; return true;
            case 0x105: value = stvec; return true;
            case 0x106: value = scounteren; return true;
            case 0x10A: value = senvcfg; return true;
            case 0x140: value = sscratch; return true;
            case 0x141: value = sepc; return true;
            case 0x142: value = scause; return true;
            case 0x143: value = stval; return true;
            case 0x144: value = ReadMip() & mideleg; return true;
            case 0x180: value = satp; return true;
            case 0x300: value = mstatus; return true;
            case 0x301: value = misa; return true;
            case 0x302: value = medeleg; return true;
            case 0x303: value = mideleg; return true;
            case 0x304: value = mie; return true;
            case 0x305: value = mtvec; return true;
            case 0x306: value = mcounteren; return true;
            case 0x30A: value = menvcfg; return true;
            case 0x320: value = mcountinhibit; return true;
            case 0x340: value = mscratch; return true;
            case 0x341: value = mepc; return true;
            case 0x342: value = mcause; return true;
            case 0x343: value = mtval; return true;
            case 0x344: value = ReadMip(); return true;
            case 0x7A0: value = tselect; return true;
            case 0x7A1: case 0x7A2: case 0x7A3: value = 0; return true;
            case 0xB00: value = ReadCycle(); return true;
            case 0xB02: value = ReadInstret(); return true;
            case 0xF11: case 0xF12: case 0xF13: case 0xF15: value = 0; return true;
            case 0xF14: value = HartId; return true;
            case 0xC00: if (!CounterAccessible(0)) return false; value = ReadCycle(); return true;
            case 0xC01: if (!CounterAccessible(1)) return false; value = ReadTime(); return true;
            case 0xC02: if (!CounterAccessible(2)) return false; value = ReadInstret(); return true;
        }
        if (csr >= 0x323 && csr <= 0x33F)
        {
            var i = csr - 0x323;
            value = i < EventCounterCount ? (ulong)eventSelectors[i] : 0;
            return true;
        }
        if (csr >= 0xB03 && csr <= 0xB1F)
        {
            var i = csr - 0xB03;
            value = i < EventCounterCount ? ReadEventCounter(i) : 0;
            return true;
        }
        if (csr >= 0xC03 && csr <= 0xC1F)
        {
            var i = csr - 0xC03;
            if (!CounterAccessible(i + 3))
            {
                return false;
            }
            value = i < EventCounterCount ? ReadEventCounter(i) : 0;
            return true;
        }
        if (csr >= 0x3A0 && csr <= 0x3AF)
        {
            // RV64 has only the even pmpcfg registers.
            if ((csr & 1) != 0) return false;
            value = pmpcfg[csr - 0x3A0];
            return true;
        }
        if (csr >= 0x3B0 && csr <= 0x3EF)
        {
            value = pmpaddr[csr - 0x3B0];
            return true;
        }
        return false;
    }

    /// <summary>CSR write with privilege and read-only checks. Returns false for an illegal access.</summary>
    private bool TryWriteCsr(int csr, ulong value)
    {
        if (((csr >> 8) & 3) > (int)privilege || (csr >> 10) == 3)
        {
            return false;
        }
        if (csr == 0x180 && privilege == PrivilegeLevel.Supervisor && (mstatus & TvmBit) != 0)
        {
            return false;
        }
        return WriteCsrUnchecked(csr, value);
    }

    private bool WriteCsrUnchecked(int csr, ulong value)
    {
        switch (csr)
        {
            case 0x100: WriteMstatus((mstatus & ~SstatusMask) | (value & SstatusMask)); return true;
            case 0x104: mie = (mie & ~mideleg) | (value & mideleg); attention = true; return true;
            case 0x105: stvec = value & ~2UL; return true;
            case 0x106: scounteren = value & 0xFFFFFFFF; return true;
            case 0x10A: senvcfg = value & 1; return true;
            case 0x140: sscratch = value; return true;
            case 0x141: sepc = value & ~1UL; return true;
            case 0x142: scause = value; return true;
            case 0x143: stval = value; return true;
            case 0x144:
                // Only SSIP is writable through sip, and only when delegated.
                var sMask = mideleg & (1UL << 1);
                mipSoft = (mipSoft & ~sMask) | (value & sMask);
                attention = true;
                return true;
            case 0x180: WriteSatp(value); return true;
            case 0x300: WriteMstatus(value); return true;
            case 0x301: return true; // misa is read-only here (WARL)
            case 0x302: medeleg = value & MedelegWritable; return true;
            case 0x303: mideleg = value & SupervisorInterrupts; attention = true; return true;
            case 0x304: mie = value & AllInterrupts; attention = true; return true;
            case 0x305: mtvec = (value & 3) >= 2 ? value & ~3UL : value; return true;
            case 0x306: mcounteren = value & 0xFFFFFFFF; return true;
            case 0x30A: menvcfg = value & 1; return true;
            case 0x320: WriteCountInhibit(value); return true;
            case 0x340: mscratch = value; return true;
            case 0x341: mepc = value & ~1UL; return true;
            case 0x342: mcause = value; return true;
            case 0x343: mtval = value; return true;
            case 0x344: mipSoft = value & MipSoftwareWritable; attention = true; return true;
            case 0x7A0: tselect = 0; return true; // no triggers: only index 0, which reports "none"
            case 0x7A1: case 0x7A2: case 0x7A3: return true;
            case 0xB00:
                if ((mcountinhibit & 1) != 0) cycleFrozen = value; else cycleOffset = value - executedTotal - 1;
                return true;
            case 0xB02:
                // The writing instruction's own retirement is not counted: the next read sees the value written.
                if ((mcountinhibit & 4) != 0) instretFrozen = value; else instretOffset = value - retired - 1;
                return true;
        }
        if (csr >= 0x323 && csr <= 0x33F)
        {
            var i = csr - 0x323;
            if (i < EventCounterCount)
            {
                var current = ReadEventCounter(i);
                eventSelectors[i] = value <= (ulong)HartEvent.MachineLineTransfers ? (HartEvent)value : HartEvent.None;
                eventOffsets[i] = current - EventCount(eventSelectors[i]);
            }
            return true;
        }
        if (csr >= 0xB03 && csr <= 0xB1F)
        {
            var i = csr - 0xB03;
            if (i < EventCounterCount)
            {
                if ((mcountinhibit & (1UL << (i + 3))) != 0) eventFrozen[i] = value;
                else eventOffsets[i] = value - EventCount(eventSelectors[i]);
            }
            return true;
        }
        if (csr >= 0x3A0 && csr <= 0x3AF)
        {
            if ((csr & 1) != 0) return false;
            pmpcfg[csr - 0x3A0] = value;
            return true;
        }
        if (csr >= 0x3B0 && csr <= 0x3EF)
        {
            pmpaddr[csr - 0x3B0] = value & ((1UL << 54) - 1);
            return true;
        }
        return false;
    }

    private void WriteMstatus(ulong value)
    {
        var mpp = (value >> MppShift) & 3;
        if (mpp == 2)
        {
            // MPP is WARL: 2 (hypervisor) is not a legal mode, keep the previous value.
            value = (value & ~MppMask) | (mstatus & MppMask);
        }
        mstatus = (value & MstatusWritable) | XlenFields;
        attention = true;
        UpdateTranslationState();
    }

    private void WriteSatp(ulong value)
    {
        var mode = value >> 60;
        if (mode != 0 && mode != 8)
        {
            // Unsupported modes leave satp unchanged (WARL), per the privileged spec.
            return;
        }
        satp = value & ((0xFUL << 60) | (0xFFFFUL << 44) | ((1UL << 44) - 1));
        FlushTlb();
        UpdateTranslationState();
    }

    private void WriteCountInhibit(ulong value)
    {
        value &= 0xFFFFFFFD; // bit 1 (time) is read-only zero
        var turningOn = value & ~mcountinhibit;
        var turningOff = mcountinhibit & ~value;
        if ((turningOn & 1) != 0) cycleFrozen = LiveCycle;
        if ((turningOff & 1) != 0) cycleOffset = cycleFrozen - executedTotal;
        if ((turningOn & 4) != 0) instretFrozen = LiveInstret;
        if ((turningOff & 4) != 0) instretOffset = instretFrozen - retired;
        for (var i = 0; i < EventCounterCount; i++)
        {
            var bit = 1UL << (i + 3);
            if ((turningOn & bit) != 0) eventFrozen[i] = EventCount(eventSelectors[i]) + eventOffsets[i];
            if ((turningOff & bit) != 0) eventOffsets[i] = eventFrozen[i] - EventCount(eventSelectors[i]);
        }
        mcountinhibit = value;
    }

    /// <summary>Debugger access to any CSR, without privilege checks. Returns false for a CSR that does not exist.</summary>
    public bool TryReadCsrForDebugger(int csr, out ulong value) => ReadCsrUnchecked(csr, out value) || TryReadCounterShadow(csr, out value);

    public bool TryWriteCsrForDebugger(int csr, ulong value) => WriteCsrUnchecked(csr, value);

    private bool TryReadCounterShadow(int csr, out ulong value)
    {
        value = 0;
        if (csr >= 0xC03 && csr <= 0xC1F)
        {
            var i = csr - 0xC03;
            value = i < EventCounterCount ? ReadEventCounter(i) : 0;
            return true;
        }
        return false;
    }
}
