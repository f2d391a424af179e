using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Emulator.Peripherals.CPU;

public sealed unsafe partial class RiscV64
{
    // Fetch cache: the virtual page last fetched from and its decoded slots in the shared cache.
    private ulong fetchVirtualPage = ulong.MaxValue;
    private int fetchPageIndex = -1;
    private DecodedInstruction[]? fetchSlots;
    private readonly DecodedInstruction[] scratch = new DecodedInstruction[1];

    private bool ramUsable;
    private byte* ram;
    private ulong ramBase;
    private ulong ramSize;
    private bool pendingWatchHit;
    private HaltReason pendingWatch;

    private void EnsureShared()
    {
        var bus = machine!.SystemBus;
        if (shared == null || !shared.Matches(bus))
        {
            if (hasReservation)
            {
                hasReservation = false;
            }
            shared = machine.GetHartSharedState();
        }
        ram = shared.Ram;
        ramBase = shared.RamBase;
        AttachCoherenceModel();
        ramSize = shared.RamSize;
        var usable = ramSize >= 8;
        if (usable != ramUsable)
        {
            ramUsable = usable;
            UpdateTranslationState();
        }
        RefreshTranslationOn();
    }

    /// <summary>
    /// Executes up to <paramref name="budget"/> instructions. Returns early when the hart starts waiting
    /// in WFI, halts at a breakpoint, or the machine is asked to stop. Never throws for guest behaviour:
    /// everything the guest does wrong becomes a RISC-V trap.
    /// </summary>
    public ulong Execute(ulong budget)
    {
        if (machine == null || IsHalted || budget == 0)
        {
            return 0;
        }
        EnsureShared();
        if (waitingForInterrupt)
        {
            if ((ReadMip() & mie) == 0)
            {
                return 0;
            }
            waitingForInterrupt = false;
            machine.Trace?.WaitEnded((int)HartId);
        }
        var callStart = executedTotal;
        if (!sliceOpen)
        {
            // Called outside the machine's slices (Step, tests): this call is its own slice.
            sliceStartExecuted = executedTotal;
        }
        var limit = executedTotal + budget;
        ForgetSpin(limit);
        attention = true;
        ref var reg = ref MemoryMarshal.GetArrayDataReference(x);
        var s = shared!;
        // True at a block head: translated code is looked up only there (see RiscV64.Translation.cs).
        var lookupBlock = true;
        ref var scratchSlot = ref MemoryMarshal.GetArrayDataReference(scratch);

        while (executedTotal < limit)
        {
            if (attention && !HandleAttention())
            {
                break;
            }
            // Blocks check attention only at entry, so none starts while it is still set (after taking an
            // interrupt the interpreter looks again before the handler's second instruction).
            if (lookupBlock && translationOn && !attention)
            {
                if (CountColdHead(s.Translations))
                {
                    lookupBlock = false;
                }
                else if (RunBlocks(ref reg, limit, out lookupBlock))
                {
                    continue;
                }
            }
            if (!attention && InterpretPlain(ref reg, limit, ref lookupBlock))
            {
                continue;
            }
            var curPc = pc;
            ref DecodedInstruction d = ref scratchSlot;
            var slots = fetchSlots;
            if ((curPc >> 12) == fetchVirtualPage && slots != null)
            {
                // Every code page holds SlotsPerPage (4096 / 2) slots, so the index is always in range.
                d = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(slots), (nint)((curPc & 0xFFF) >> 1));
                if (d.Op == Opcode.Undecoded && !DecodeInPlace(curPc, ref d))
                {
                    d = ref scratchSlot;
                }
            }
            else
            {
                d = ref FetchSlow(curPc, out var fetched);
                if (!fetched)
                {
                    executedTotal++;
                    lookupBlock = true;
                    continue;
                }
            }

            var npc = curPc + d.Length;
            // The opcode in a local: after the switch only it is needed, so the slot's reference need not be
            // kept (spilled) across the calls of the slow paths.
            var op = d.Op;
            if (StepPlain(ref reg, ref d, op, curPc, ref npc, PlainMemory()))
            {
                goto retire;
            }
            switch (op)
            {
                // Loads and stores StepPlain leaves: not RAM, misaligned, a TLB miss, watchpoints, a memory model, or
                // a store that AfterRamStore must see.
                case Opcode.Lb:
                case Opcode.Lh:
                case Opcode.Lw:
                case Opcode.Ld:
                case Opcode.Lbu:
                case Opcode.Lhu:
                case Opcode.Lwu:
                    {
                        if (!LoadSlow(Unsafe.Add(ref reg, d.Rs1) + (ulong)d.Imm, LoadSize(op), out var v))
                        {
                            goto trapped;
                        }
                        Unsafe.Add(ref reg, d.Rd) = op switch
                        {
                            Opcode.Lb => (ulong)(sbyte)v,
                            Opcode.Lh => (ulong)(short)v,
                            Opcode.Lw => (ulong)(int)v,
                            _ => v,
                        };
                        break;
                    }
                case Opcode.Sb:
                case Opcode.Sh:
                case Opcode.Sw:
                case Opcode.Sd:
                    {
                        var a = Unsafe.Add(ref reg, d.Rs1) + (ulong)d.Imm;
                        var v = Unsafe.Add(ref reg, d.Rs2);
                        var size = 1 << (op - Opcode.Sb);
                        if (RamOffset(a, size, AccessStore, PlainMemory(), out var off))
                        {
                            var p = ram + off;
                            switch (size)
                            {
                                case 1: *p = (byte)v; break;
                                case 2: *(ushort*)p = (ushort)v; break;
                                case 4: *(uint*)p = (uint)v; break;
                                default: *(ulong*)p = v; break;
                            }
                            // What StorePhysical's AfterRamStore would do, when there is anything to do.
                            if (StoreNeedsAfterRamStore(off, size, s.PageFlags))
                            {
                                AfterRamStore(off + ramBase, off, size, v);
                            }
                        }
                        else if (!StoreSlow(a, size, v))
                        {
                            goto trapped;
                        }
                        break;
                    }

                // High-half multiplications and divisions: rarer, and kept out of the inner loop's switch (they cost it registers).
                case Opcode.Mulh: Unsafe.Add(ref reg, d.Rd) = (ulong)Math.BigMul((long)Unsafe.Add(ref reg, d.Rs1), (long)Unsafe.Add(ref reg, d.Rs2), out _); break;
                case Opcode.Mulhu: Unsafe.Add(ref reg, d.Rd) = Math.BigMul(Unsafe.Add(ref reg, d.Rs1), Unsafe.Add(ref reg, d.Rs2), out _); break;
                case Opcode.Mulhsu:
                    {
                        var a = Unsafe.Add(ref reg, d.Rs1);
                        var b = Unsafe.Add(ref reg, d.Rs2);
                        var high = Math.BigMul(a, b, out _);
                        Unsafe.Add(ref reg, d.Rd) = (long)a < 0 ? high - b : high;
                        break;
                    }
                case Opcode.Div: Unsafe.Add(ref reg, d.Rd) = (ulong)Divide((long)Unsafe.Add(ref reg, d.Rs1), (long)Unsafe.Add(ref reg, d.Rs2)); break;
                case Opcode.Divu:
                    {
                        var b = Unsafe.Add(ref reg, d.Rs2);
                        Unsafe.Add(ref reg, d.Rd) = b == 0 ? ulong.MaxValue : Unsafe.Add(ref reg, d.Rs1) / b;
                        break;
                    }
                case Opcode.Rem: Unsafe.Add(ref reg, d.Rd) = (ulong)Remainder((long)Unsafe.Add(ref reg, d.Rs1), (long)Unsafe.Add(ref reg, d.Rs2)); break;
                case Opcode.Remu:
                    {
                        var b = Unsafe.Add(ref reg, d.Rs2);
                        Unsafe.Add(ref reg, d.Rd) = b == 0 ? Unsafe.Add(ref reg, d.Rs1) : Unsafe.Add(ref reg, d.Rs1) % b;
                        break;
                    }
                case Opcode.Divw: Unsafe.Add(ref reg, d.Rd) = (ulong)(long)Divide32((int)Unsafe.Add(ref reg, d.Rs1), (int)Unsafe.Add(ref reg, d.Rs2)); break;
                case Opcode.Divuw:
                    {
                        var b = (uint)Unsafe.Add(ref reg, d.Rs2);
                        Unsafe.Add(ref reg, d.Rd) = (ulong)(long)(int)(b == 0 ? uint.MaxValue : (uint)Unsafe.Add(ref reg, d.Rs1) / b);
                        break;
                    }
                case Opcode.Remw: Unsafe.Add(ref reg, d.Rd) = (ulong)(long)Remainder32((int)Unsafe.Add(ref reg, d.Rs1), (int)Unsafe.Add(ref reg, d.Rs2)); break;
                case Opcode.Remuw:
                    {
                        var b = (uint)Unsafe.Add(ref reg, d.Rs2);
                        var a = (uint)Unsafe.Add(ref reg, d.Rs1);
                        Unsafe.Add(ref reg, d.Rd) = (ulong)(long)(int)(b == 0 ? a : a % b);
                        break;
                    }

                case Opcode.LrW:
                case Opcode.LrD:
                    if (!LoadReserved(ref d, ref reg)) goto trapped;
                    break;
                case Opcode.ScW:
                case Opcode.ScD:
                    if (!StoreConditional(ref d, ref reg)) goto trapped;
                    break;
                // One label per opcode, no relational patterns: Roslyn then emits a single IL switch (one jump
                // table) instead of a compare tree in front of several tables, which without dynamic PGO cost
                // the interpreter a fifth of its speed (docs/translator.md, "Process settings").
                case Opcode.AmoswapW: case Opcode.AmoaddW: case Opcode.AmoxorW: case Opcode.AmoandW: case Opcode.AmoorW:
                case Opcode.AmominW: case Opcode.AmomaxW: case Opcode.AmominuW: case Opcode.AmomaxuW:
                case Opcode.AmoswapD: case Opcode.AmoaddD: case Opcode.AmoxorD: case Opcode.AmoandD: case Opcode.AmoorD:
                case Opcode.AmominD: case Opcode.AmomaxD: case Opcode.AmominuD: case Opcode.AmomaxuD:
                    if (!AtomicMemoryOperation(ref d, ref reg)) goto trapped;
                    break;

                case Opcode.Fence:
                case Opcode.FenceI:
                    // Stores already drop decoded code of their page, so FENCE.I has nothing left to flush.
                    CountFence(d.Raw, curPc);
                    storeBuffer?.Fence(d.Op == Opcode.FenceI ? 0x0FF00000u : d.Raw);
                    break;
                case Opcode.Ecall:
                    RaiseException(privilege switch
                    {
                        PrivilegeLevel.User => TrapCause.EcallFromU,
                        PrivilegeLevel.Supervisor => TrapCause.EcallFromS,
                        _ => TrapCause.EcallFromM,
                    }, 0);
                    goto trapped;
                case Opcode.Ebreak:
                    RaiseException(TrapCause.Breakpoint, curPc);
                    goto trapped;
                case Opcode.Mret:
                    if (privilege != PrivilegeLevel.Machine) goto illegal;
                    ReturnFromMachineTrap();
                    npc = pc;
                    break;
                case Opcode.Sret:
                    if (privilege == PrivilegeLevel.User || (privilege == PrivilegeLevel.Supervisor && (mstatus & TsrBit) != 0)) goto illegal;
                    ReturnFromSupervisorTrap();
                    npc = pc;
                    break;
                case Opcode.Wfi:
                    if (privilege == PrivilegeLevel.User || (privilege == PrivilegeLevel.Supervisor && (mstatus & TwBit) != 0)) goto illegal;
                    Statistics.WaitForInterrupt++;
                    pc = npc;
                    retired++;
                    executedTotal++;
                    reg = 0;
                    // WFI waits for any interrupt enabled in mie, whatever the global enable says.
                    if ((ReadMip() & mie) == 0)
                    {
                        waitingForInterrupt = true;
                        machine!.Trace?.WaitStarted((int)HartId);
                        goto done;
                    }
                    lookupBlock = true;
                    AtSpinHint(curPc);
                    continue;
                case Opcode.SfenceVma:
                    if (privilege == PrivilegeLevel.User || (privilege == PrivilegeLevel.Supervisor && (mstatus & TvmBit) != 0)) goto illegal;
                    storeBuffer?.DrainAll();
                    FlushTlb();
                    break;
                case Opcode.Csrrw:
                case Opcode.Csrrs:
                case Opcode.Csrrc:
                case Opcode.Csrrwi:
                case Opcode.Csrrsi:
                case Opcode.Csrrci:
                    if (!ExecuteCsr(ref d, ref reg)) goto illegal;
                    break;
                default:
                    goto illegal;
            }
        retire:
            reg = 0;
            pc = npc;
            retired++;
            executedTotal++;
            // Jumps, branches and what blocks leave to the interpreter (LR/SC, AMO, FENCE, system, CSR) end blocks.
            lookupBlock |= EndsBlock(op) || op >= Opcode.LrW;
            continue;

        illegal:
            pc = curPc;
            RaiseException(TrapCause.IllegalInstruction, d.Raw);
        trapped:
            reg = 0;
            executedTotal++;
            lookupBlock = true;
        }
    done:
        Statistics.Instructions = retired;
        return executedTotal - callStart;
    }

    private static int LoadSize(Opcode op) => op switch
    {
        Opcode.Lb or Opcode.Lbu => 1,
        Opcode.Lh or Opcode.Lhu => 2,
        Opcode.Lw or Opcode.Lwu => 4,
        _ => 8,
    };

    private static long Divide(long a, long b) => b == 0 ? -1 : (a == long.MinValue && b == -1 ? a : a / b);

    private static long Remainder(long a, long b) => b == 0 ? a : (a == long.MinValue && b == -1 ? 0 : a % b);

    private static int Divide32(int a, int b) => b == 0 ? -1 : (a == int.MinValue && b == -1 ? a : a / b);

    private static int Remainder32(int a, int b) => b == 0 ? a : (a == int.MinValue && b == -1 ? 0 : a % b);

    /// <summary>Between instructions: stop requests, breakpoints, watchpoint hits, interrupts. False = stop executing.</summary>
    private bool HandleAttention()
    {
        attention = false;
        if (storeBuffer != null)
        {
            // RVWMO follows every instruction's effect on register views (RiscV64.MemoryModel.cs): attention stays set.
            attention = true;
            RetireForModel();
        }
        if (machine!.HasExited || IsHalted || machine.BreakRequested)
        {
            attention = true;
            return false;
        }
        if (pendingWatchHit)
        {
            pendingWatchHit = false;
            Halt(pendingWatch);
            return false;
        }
        if (breakpoints.Count > 0)
        {
            attention = true;
            if (skipBreakpointAt && pc != skipBreakpointAddress)
            {
                skipBreakpointAt = false;
            }
            if (breakpoints.Contains(pc) && !(skipBreakpointAt && pc == skipBreakpointAddress))
            {
                Halt(new HaltReason(false, pc, WatchpointKind.Access));
                return false;
            }
        }
        var irq = PendingInterrupt();
        if (irq >= 0)
        {
            TakeInterrupt(irq);
        }
        if (storeBuffer != null)
        {
            if (irq >= 0)
            {
                storeBuffer.Views.Trapped(storeBuffer.Now);
            }
            BeginForModel();
        }
        if (SpinChecking)
        {
            CheckSpinInstruction();
        }
        return true;
    }

    private void Halt(HaltReason reason)
    {
        IsHalted = true;
        LastHalt = reason;
        attention = true;
        machine!.NotifyHartHalted(this);
    }

    /// <summary>Clears a debugger halt; the breakpoint at the current pc is stepped over once.</summary>
    public void Resume()
    {
        IsHalted = false;
        skipBreakpointAt = true;
        skipBreakpointAddress = pc;
        attention = true;
    }

    private ref DecodedInstruction FetchSlow(ulong vpc, out bool fetched)
    {
        fetched = false;
        var cause = Translate(vpc, AccessFetch, out var ppc);
        if (cause != NoFault)
        {
            RaiseException(cause, vpc);
            return ref scratch[0];
        }
        var off = ppc - ramBase;
        if (ramUsable && off < ramSize)
        {
            var page = (int)(off >> 12);
            var slots = shared!.GetOrCreatePage(page);
            fetchVirtualPage = vpc >> 12;
            fetchPageIndex = page;
            fetchSlots = slots;
            ref var slot = ref slots[(vpc & 0xFFF) >> 1];
            if (slot.Op == Opcode.Undecoded && !DecodeInPlace(vpc, ref slot))
            {
                // Straddling instruction: decoded into scratch, or a fault was raised (scratch cleared).
                fetched = scratch[0].Op != Opcode.Undecoded;
                return ref scratch[0];
            }
            fetched = true;
            return ref slot;
        }
        // Code outside main RAM (another memory, a ROM) is decoded on every fetch.
        if (!machine!.SystemBus.TryRead(ppc, 2, out var low))
        {
            RaiseException(TrapCause.InstructionAccessFault, vpc);
            return ref scratch[0];
        }
        var raw = (uint)low;
        if ((raw & 3) == 3)
        {
            if (!machine.SystemBus.TryRead(ppc + 2, 2, out var high))
            {
                RaiseException(TrapCause.InstructionAccessFault, vpc);
                return ref scratch[0];
            }
            raw |= (uint)high << 16;
        }
        InstructionDecoder.Decode(raw, ref scratch[0]);
        fetched = true;
        return ref scratch[0];
    }

    /// <summary>
    /// Decodes the RAM instruction at <paramref name="vpc"/> into its cache slot. An instruction that
    /// straddles a page boundary is decoded into the scratch slot instead (false), because a store to the
    /// second page would not drop it from the first page's cache.
    /// </summary>
    private bool DecodeInPlace(ulong vpc, ref DecodedInstruction slot)
    {
        var off = ((ulong)fetchPageIndex << 12) | (vpc & 0xFFF);
        uint raw = *(ushort*)(ram + off);
        if ((raw & 3) == 3)
        {
            if ((vpc & 0xFFF) == 0xFFE)
            {
                if (!FetchStraddling(vpc, raw))
                {
                    scratch[0] = default;
                }
                return false;
            }
            raw |= (uint)*(ushort*)(ram + off + 2) << 16;
        }
        InstructionDecoder.Decode(raw, ref slot);
        return true;
    }

    private bool FetchStraddling(ulong vpc, uint low)
    {
        var cause = Translate(vpc + 2, AccessFetch, out var ppc);
        if (cause != NoFault)
        {
            RaiseException(cause, vpc + 2);
            return false;
        }
        if (!machine!.SystemBus.TryRead(ppc, 2, out var high))
        {
            RaiseException(TrapCause.InstructionAccessFault, vpc + 2);
            return false;
        }
        InstructionDecoder.Decode(low | ((uint)high << 16), ref scratch[0]);
        return true;
    }

    private bool CheckAlignment(ulong a, int size, ulong misalignedCause)
    {
        if ((a & (ulong)(size - 1)) != 0 && !AllowUnalignedAccesses)
        {
            RaiseException(misalignedCause, a);
            return false;
        }
        return true;
    }

    /// <summary>Loads and stores that took LoadSlow/StoreSlow (tests: the paged fast path must keep TLB hits out of them).</summary>
    internal ulong SlowDataAccesses { get; private set; }

    private bool LoadSlow(ulong a, int size, out ulong value)
    {
        SlowDataAccesses++;
        value = 0;
        if (!CheckAlignment(a, size, TrapCause.LoadMisaligned))
        {
            return false;
        }
        var cause = Translate(a, AccessLoad, out var pa);
        if (cause == NoFault && (a & 0xFFF) + (ulong)size > 0x1000 && dataTranslate)
        {
            // A misaligned access across pages: translate each byte's page separately.
            storeBuffer?.DrainAndOrderLoads();
            return LoadBytewise(a, size, out value);
        }
        if (cause != NoFault)
        {
            RaiseException(cause, a);
            return false;
        }
        CheckWatchpoints(a, size, false);
        coherence?.Access(coherenceIndex, Statistics, pa, size, CoherenceAccess.Load);
        if (storeBuffer != null && TryModelLoad(pa, size, out value))
        {
            return true;
        }
        if (!machine!.SystemBus.TryRead(pa, size, out value))
        {
            RaiseException(TrapCause.LoadAccessFault, a);
            return false;
        }
        return true;
    }

    private bool LoadBytewise(ulong a, int size, out ulong value)
    {
        value = 0;
        for (var i = 0; i < size; i++)
        {
            var cause = Translate(a + (ulong)i, AccessLoad, out var pa);
            if (cause != NoFault)
            {
                RaiseException(cause, a + (ulong)i);
                return false;
            }
            if (!machine!.SystemBus.TryRead(pa, 1, out var b))
            {
                RaiseException(TrapCause.LoadAccessFault, a);
                return false;
            }
            value |= b << (8 * i);
        }
        return true;
    }

    private bool StoreSlow(ulong a, int size, ulong value)
    {
        SlowDataAccesses++;
        if (!CheckAlignment(a, size, TrapCause.StoreMisaligned))
        {
            return false;
        }
        if ((a & 0xFFF) + (ulong)size > 0x1000 && dataTranslate)
        {
            for (var i = 0; i < size; i++)
            {
                if (!StorePhysical(a + (ulong)i, 1, value >> (8 * i), a))
                {
                    return false;
                }
            }
            return true;
        }
        return StorePhysical(a, size, value, a);
    }

    private bool StorePhysical(ulong a, int size, ulong value, ulong faultAddress)
    {
        var cause = Translate(a, AccessStore, out var pa);
        if (cause != NoFault)
        {
            RaiseException(cause, a);
            return false;
        }
        CheckWatchpoints(a, size, true);
        coherence?.Access(coherenceIndex, Statistics, pa, size, CoherenceAccess.Store);
        if (storeBuffer != null && TryModelStore(pa, size, value))
        {
            return true;
        }
        var off = pa - ramBase;
        if (ramUsable && off <= ramSize - (ulong)size)
        {
            var p = ram + off;
            switch (size)
            {
                case 1: *p = (byte)value; break;
                case 2: *(ushort*)p = (ushort)value; break;
                case 4: *(uint*)p = (uint)value; break;
                default: *(ulong*)p = value; break;
            }
            AfterRamStore(pa, off, size, value);
            return true;
        }
        if (!machine!.SystemBus.TryWrite(pa, size, value))
        {
            RaiseException(TrapCause.StoreAccessFault, faultAddress);
            return false;
        }
        return true;
    }

    /// <summary>The rare consequences of a RAM store: drop decoded code, break reservations, HTIF exit.</summary>
    private void AfterRamStore(ulong pa, ulong off, int size, ulong value)
    {
        var s = shared!;
        var firstPage = (int)(off >> 12);
        var lastPage = (int)((off + (ulong)size - 1) >> 12);
        for (var page = firstPage; page <= lastPage; page++)
        {
            if ((s.PageFlags[page] & HartSharedState.PageHasCode) != 0)
            {
                var start = page == firstPage ? (int)(off & 0xFFF) : 0;
                var end = page == lastPage ? (int)((off + (ulong)size - 1) & 0xFFF) : 0xFFF;
                s.InvalidateSlots(page, start, end - start + 1);
            }
        }
        if (s.ActiveReservations != 0)
        {
            s.BreakReservations(this, pa);
            if (((pa + (ulong)size - 1) & ~7UL) != (pa & ~7UL))
            {
                s.BreakReservations(this, pa + (ulong)size - 1);
            }
        }
        if ((s.PageFlags[firstPage] & HartSharedState.PageHasWatch) != 0 && (pa & ~7UL) == s.ToHostAddress)
        {
            var tohost = *(ulong*)(ram + (s.ToHostAddress - ramBase));
            if ((tohost & 1) != 0)
            {
                machine!.RequestExit((int)(tohost >> 1), $"HTIF: guest wrote tohost=0x{tohost:X} (exit code {tohost >> 1})");
                attention = true;
            }
        }
    }

    private void CheckWatchpoints(ulong a, int size, bool isWrite)
    {
        foreach (var w in watchpoints)
        {
            if (w.Hits(a, size, isWrite))
            {
                pendingWatchHit = true;
                pendingWatch = new HaltReason(true, a, w.Kind);
                attention = true;
                return;
            }
        }
    }

    /// <summary>Translates and checks an atomic access (always aligned; store permission, like an AMO needs).</summary>
    private bool AtomicAddress(ulong a, int size, int access, out ulong pa)
    {
        pa = 0;
        if ((a & (ulong)(size - 1)) != 0)
        {
            // Misaligned atomics always trap, even where plain accesses are allowed to be misaligned.
            RaiseException(access == AccessLoad ? TrapCause.LoadMisaligned : TrapCause.StoreMisaligned, a);
            return false;
        }
        var cause = Translate(a, access, out pa);
        if (cause != NoFault)
        {
            RaiseException(cause, a);
            return false;
        }
        CheckWatchpoints(a, size, access == AccessStore);
        storeBuffer?.DrainAll();
        return true;
    }

    private bool LoadReserved(ref DecodedInstruction d, ref ulong reg)
    {
        var size = d.Op == Opcode.LrW ? 4 : 8;
        var a = Unsafe.Add(ref reg, d.Rs1);
        if (!AtomicAddress(a, size, AccessLoad, out var pa))
        {
            return false;
        }
        if (!machine!.SystemBus.TryRead(pa, size, out var v))
        {
            RaiseException(TrapCause.LoadAccessFault, a);
            return false;
        }
        Statistics.LoadReserved++;
        storeBuffer?.MarkLatestSeen(pa, size);
        coherence?.Access(coherenceIndex, Statistics, pa, size, CoherenceAccess.Atomic);
        SetReservation(pa);
        Unsafe.Add(ref reg, d.Rd) = size == 4 ? (ulong)(int)v : v;
        return true;
    }

    private bool StoreConditional(ref DecodedInstruction d, ref ulong reg)
    {
        var size = d.Op == Opcode.ScW ? 4 : 8;
        var a = Unsafe.Add(ref reg, d.Rs1);
        if (!AtomicAddress(a, size, AccessStore, out var pa))
        {
            return false;
        }
        Statistics.StoreConditional++;
        if (hasReservation && reservationAddress == (pa & ~7UL))
        {
            ClearReservation();
            coherence?.Access(coherenceIndex, Statistics, pa, size, CoherenceAccess.Atomic);
            if (!WritePhysicalAtomic(pa, size, Unsafe.Add(ref reg, d.Rs2), a))
            {
                return false;
            }
            Unsafe.Add(ref reg, d.Rd) = 0;
        }
        else
        {
            ClearReservation();
            Statistics.StoreConditionalFailures++;
            Unsafe.Add(ref reg, d.Rd) = 1;
        }
        return true;
    }

    private bool WritePhysicalAtomic(ulong pa, int size, ulong value, ulong faultAddress)
    {
        var off = pa - ramBase;
        if (ramUsable && off <= ramSize - (ulong)size)
        {
            // Under RVWMO the atomic's store enters the history like a committed one (atomics are aligned: one granule).
            var before = storeBuffer != null ? ReadRamForModel(pa & ~7UL, 8) : 0;
            if (size == 4) *(uint*)(ram + off) = (uint)value;
            else *(ulong*)(ram + off) = value;
            if (storeBuffer != null)
            {
                RecordForModel(pa & ~7UL, before);
            }
            AfterRamStore(pa, off, size, value);
            return true;
        }
        if (!machine!.SystemBus.TryWrite(pa, size, value))
        {
            RaiseException(TrapCause.StoreAccessFault, faultAddress);
            return false;
        }
        return true;
    }

    private bool AtomicMemoryOperation(ref DecodedInstruction d, ref ulong reg)
    {
        var isWord = d.Op <= Opcode.AmomaxuW;
        var size = isWord ? 4 : 8;
        var a = Unsafe.Add(ref reg, d.Rs1);
        if (!AtomicAddress(a, size, AccessStore, out var pa))
        {
            return false;
        }
        if (!machine!.SystemBus.TryRead(pa, size, out var old))
        {
            RaiseException(TrapCause.StoreAccessFault, a);
            return false;
        }
        coherence?.Access(coherenceIndex, Statistics, pa, size, CoherenceAccess.Atomic);
        var src = Unsafe.Add(ref reg, d.Rs2);
        var kind = isWord ? d.Op - Opcode.AmoswapW : d.Op - Opcode.AmoswapD;
        var result = Translation.TranslationHelpers.AmoResult(kind, isWord, old, src);
        if (!WritePhysicalAtomic(pa, size, result, a))
        {
            return false;
        }
        Statistics.AtomicMemoryOperations++;
        Unsafe.Add(ref reg, d.Rd) = isWord ? (ulong)(int)old : old;
        return true;
    }

    private bool ExecuteCsr(ref DecodedInstruction d, ref ulong reg)
    {
        var csr = (int)d.Imm;
        var isImmediate = d.Op >= Opcode.Csrrwi;
        var operand = isImmediate ? d.Rs1 : Unsafe.Add(ref reg, d.Rs1);
        var kind = isImmediate ? d.Op - Opcode.Csrrwi : d.Op - Opcode.Csrrw;
        ulong old = 0;
        // CSRRW with rd = x0 does not read; CSRRS/CSRRC with rs1 = x0 (or uimm 0) do not write.
        var reads = kind != 0 || d.Rd != 0;
        var writes = kind == 0 || d.Rs1 != 0;
        if (reads && !TryReadCsr(csr, out old))
        {
            return false;
        }
        if (!reads && (((csr >> 8) & 3) > (int)privilege))
        {
            return false;
        }
        if (writes)
        {
            var value = kind switch { 0 => operand, 1 => old | operand, _ => old & ~operand };
            if (!TryWriteCsr(csr, value))
            {
                return false;
            }
        }
        Unsafe.Add(ref reg, d.Rd) = old;
        return true;
    }
}
