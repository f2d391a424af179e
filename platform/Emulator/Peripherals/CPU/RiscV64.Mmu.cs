namespace Emulator.Peripherals.CPU;

public sealed partial class RiscV64
{
    private const int AccessFetch = 0;
    private const int AccessLoad = 1;
    private const int AccessStore = 2;
    private const int TlbEntries = 64;
    private const ulong NoFault = ulong.MaxValue;

    private const ulong PteV = 1, PteR = 2, PteW = 4, PteX = 8, PteU = 16, PteA = 64, PteD = 128;

    private bool fetchTranslate;
    private bool dataTranslate;
    private PrivilegeLevel dataPrivilege;

    // True when loads and stores may use the direct RAM path (no translation, no watchpoints, no coherence model).
    private bool dataFast = true;

    // True when loads and stores under Sv39 may take the TLB-hit path to RAM (no watchpoints, no RVWMO store
    // buffer, no coherence model): what LoadSlow/StoreSlow would do for them, without the call, the bus and the checks.
    private bool dataPagedFast;

    // Direct-mapped TLB per access kind; a tag is the virtual page number + 1 (0 = empty). Entries are
    // filled after the permission check for the current privilege/SUM/MXR, so any change of those flushes.
    private readonly ulong[] tlbTag = new ulong[3 * TlbEntries];
    private readonly ulong[] tlbPhysicalPage = new ulong[3 * TlbEntries];

    private void UpdateTranslationState()
    {
        var pagingOn = (satp >> 60) == 8;
        fetchTranslate = pagingOn && privilege != PrivilegeLevel.Machine;
        dataPrivilege = privilege == PrivilegeLevel.Machine && (mstatus & MprvBit) != 0
            ? (PrivilegeLevel)((mstatus >> MppShift) & 3)
            : privilege;
        dataTranslate = pagingOn && dataPrivilege != PrivilegeLevel.Machine;
        dataFast = !dataTranslate && watchpoints.Count == 0 && storeBuffer == null && coherence == null;
        dataPagedFast = dataTranslate && ramUsable && watchpoints.Count == 0 && storeBuffer == null && coherence == null;
        // What the TLB's permission checks and the fetch cache depend on: for fetches the privilege, for loads and
        // stores the effective privilege (MPRV) with SUM and MXR. Linux toggles sstatus.SIE around every irq-safe
        // lock and traps to M-mode for every SBI call, timer tick and misaligned access (OpenSBI then reads the
        // guest's memory with MPRV): none of that changes what a translation means, so the entries are kept (a flush
        // there made every following access walk). Entries stay valid while nothing translates (M-mode), and are
        // dropped only when a different key translates.
        var fetchKey = fetchTranslate ? 1 + (int)privilege : 0;
        var dataKey = dataTranslate ? (1 + (int)dataPrivilege) | (int)((mstatus & (SumBit | MxrBit)) >> 15) : 0;
        if (fetchKey != lastFetchKey)
        {
            // The fetch cache maps a virtual page of this regime (or a physical one in M-mode) to its slots.
            lastFetchKey = fetchKey;
            fetchPageIndex = -1;
            fetchSlots = null;
        }
        if (fetchKey != 0 && fetchKey != tlbFetchKey)
        {
            tlbFetchKey = fetchKey;
            FlushTlbEntries(AccessFetch, 1);
        }
        if (dataKey != 0 && dataKey != tlbDataKey)
        {
            tlbDataKey = dataKey;
            FlushTlbEntries(AccessLoad, 2);
        }
        RefreshTranslationOn();
    }

    // The fetch regime of the last UpdateTranslationState, and the keys the TLB's fetch and data entries were
    // filled under (see there).
    private int lastFetchKey = -1;
    private int tlbFetchKey = -1;
    private int tlbDataKey = -1;

    private void FlushTlbEntries(int firstAccess, int accessKinds)
    {
        mmuEpoch++;
        Array.Clear(tlbTag, firstAccess * TlbEntries, accessKinds * TlbEntries);
    }

    // Changes whenever TLB entries are dropped (satp, sfence.vma, a new privilege, MPRV/SUM/MXR setting that
    // translates), so a translated block that called out can tell the address space may have changed.
    private int mmuEpoch;

    private void FlushTlb()
    {
        FlushTlbEntries(AccessFetch, 3);
        fetchPageIndex = -1;
        fetchSlots = null;
    }

    /// <summary>Virtual to physical for the given access. Returns NoFault or the exception cause; page faults carry the virtual address.</summary>
    private ulong Translate(ulong vaddr, int access, out ulong paddr)
    {
        var translate = access == AccessFetch ? fetchTranslate : dataTranslate;
        if (!translate)
        {
            paddr = vaddr;
            return NoFault;
        }
        if (TlbHit(vaddr, access, out paddr))
        {
            return NoFault;
        }
        var cause = Walk(vaddr, access, out paddr);
        if (cause == NoFault)
        {
            var vpn = vaddr >> 12;
            var slot = access * TlbEntries + (int)(vpn & (TlbEntries - 1));
            tlbTag[slot] = vpn + 1;
            tlbPhysicalPage[slot] = paddr & ~0xFFFUL;
        }
        return cause;
    }

    /// <summary>
    /// The TLB's answer for <paramref name="vaddr"/> and <paramref name="access"/>, without a walk: true on a hit, with
    /// the physical address. A hit means the permission check for the current privilege/SUM/MXR passed when the entry
    /// was filled and A (and D for stores) is already set. Translate and the interpreter's fast paths share it.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool TlbHit(ulong vaddr, int access, out ulong paddr)
    {
        var vpn = vaddr >> 12;
        var slot = access * TlbEntries + (int)(vpn & (TlbEntries - 1));
        paddr = tlbPhysicalPage[slot] | (vaddr & 0xFFF);
        return tlbTag[slot] == vpn + 1;
    }

    /// <summary>
    /// The interpreter's paged fast path: true when <paramref name="vaddr"/> hits the TLB for <paramref name="access"/>
    /// (as Translate's hit in LoadSlow/StoreSlow) and the <paramref name="size"/> bytes there are main RAM, with their
    /// offset in RAM. The caller checks alignment, so the access stays inside the page; a miss takes the slow path,
    /// which walks.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool TlbHitInRam(ulong vaddr, int access, int size, out ulong ramOffset)
    {
        var hit = TlbHit(vaddr, access, out var paddr);
        ramOffset = paddr - ramBase;
        return hit && ramOffset <= ramSize - (ulong)size;
    }

    private static ulong PageFaultFor(int access) => access switch
    {
        AccessFetch => TrapCause.InstructionPageFault,
        AccessLoad => TrapCause.LoadPageFault,
        _ => TrapCause.StorePageFault,
    };

    private static ulong AccessFaultFor(int access) => access switch
    {
        AccessFetch => TrapCause.InstructionAccessFault,
        AccessLoad => TrapCause.LoadAccessFault,
        _ => TrapCause.StoreAccessFault,
    };

    /// <summary>Sv39 page walk with hardware A/D updates (as QEMU does).</summary>
    private ulong Walk(ulong vaddr, int access, out ulong paddr)
    {
        paddr = 0;
        // Bits 63..39 must all equal bit 38.
        var top = (long)vaddr >> 38;
        if (top != 0 && top != -1)
        {
            return PageFaultFor(access);
        }
        // The walker reads (and sets A/D in) memory, after this hart's own older stores.
        storeBuffer?.DrainAll();
        var bus = machine!.SystemBus;
        var table = (satp & ((1UL << 44) - 1)) << 12;
        var effective = access == AccessFetch ? privilege : dataPrivilege;
        for (var level = 2; level >= 0; level--)
        {
            var index = (vaddr >> (12 + 9 * level)) & 0x1FF;
            var pteAddress = table + index * 8;
            if (!bus.TryRead(pteAddress, 8, out var pte))
            {
                return AccessFaultFor(access);
            }
            if ((pte & PteV) == 0 || ((pte & PteR) == 0 && (pte & PteW) != 0) || (pte >> 54) != 0)
            {
                return PageFaultFor(access);
            }
            var ppn = (pte >> 10) & ((1UL << 44) - 1);
            if ((pte & (PteR | PteX)) == 0)
            {
                table = ppn << 12;
                continue;
            }
            if (!LeafPermits(pte, access, effective))
            {
                return PageFaultFor(access);
            }
            // A superpage must be aligned: its low PPN fields are zero.
            var lowMask = (1UL << (9 * level)) - 1;
            if ((ppn & lowMask) != 0)
            {
                return PageFaultFor(access);
            }
            var wanted = pte | PteA | (access == AccessStore ? PteD : 0);
            if (wanted != pte && !bus.TryWrite(pteAddress, 8, wanted))
            {
                return AccessFaultFor(access);
            }
            var pageOffsetMask = (1UL << (12 + 9 * level)) - 1;
            paddr = ((ppn << 12) & ~pageOffsetMask) | (vaddr & pageOffsetMask);
            return NoFault;
        }
        return PageFaultFor(access);
    }

    private bool LeafPermits(ulong pte, int access, PrivilegeLevel effective)
    {
        var userPage = (pte & PteU) != 0;
        if (effective == PrivilegeLevel.User && !userPage)
        {
            return false;
        }
        if (effective == PrivilegeLevel.Supervisor && userPage)
        {
            // S-mode never executes user pages, and touches their data only with SUM.
            if (access == AccessFetch || (mstatus & SumBit) == 0)
            {
                return false;
            }
        }
        return access switch
        {
            AccessFetch => (pte & PteX) != 0,
            AccessLoad => (pte & PteR) != 0 || ((mstatus & MxrBit) != 0 && (pte & PteX) != 0),
            _ => (pte & PteW) != 0,
        };
    }
}
