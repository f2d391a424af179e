using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Emulator.Peripherals.CPU.Translation;

namespace Emulator.Peripherals.CPU;

/// <summary>
/// The interpreter's plain instructions (integer arithmetic, jumps, branches, and loads and stores that go straight
/// to RAM) and its inner loop over them (docs/translator.md, "The interpreter's inner loop").
/// </summary>
public sealed unsafe partial class RiscV64
{
    /// <summary>Runs plain instructions in <see cref="InterpretPlain"/>'s inner loop (default); off, Execute's loop takes
    /// every instruction itself (tests compare the two).</summary>
    internal bool InnerLoopEnabled { get; set; } = true;

    /// <summary>
    /// Executes <paramref name="d"/> at <paramref name="curPc"/> when it is a plain instruction, setting
    /// <paramref name="npc"/> for jumps and taken branches; x0 is the caller's to clear. False, with nothing changed,
    /// for any other instruction, for a load or store that misses the fast path (not RAM, misaligned, a TLB miss,
    /// watchpoints or a memory model) and for a store that AfterRamStore must see (its page holds code or the watched
    /// word, or a reservation is live): Execute's switch takes those.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool StepPlain(ref ulong reg, ref DecodedInstruction d, Opcode op, ulong curPc, ref ulong npc, in PlainAccess memory)
    {
        switch (op)
        {
            case Opcode.Lui: Unsafe.Add(ref reg, d.Rd) = (ulong)d.Imm; break;
            case Opcode.Auipc: Unsafe.Add(ref reg, d.Rd) = curPc + (ulong)d.Imm; break;
            case Opcode.Jal: Unsafe.Add(ref reg, d.Rd) = npc; npc = curPc + (ulong)d.Imm; break;
            case Opcode.Jalr:
                {
                    var target = (Unsafe.Add(ref reg, d.Rs1) + (ulong)d.Imm) & ~1UL;
                    Unsafe.Add(ref reg, d.Rd) = npc;
                    npc = target;
                    break;
                }
            case Opcode.Beq: if (Unsafe.Add(ref reg, d.Rs1) == Unsafe.Add(ref reg, d.Rs2)) npc = curPc + (ulong)d.Imm; break;
            case Opcode.Bne: if (Unsafe.Add(ref reg, d.Rs1) != Unsafe.Add(ref reg, d.Rs2)) npc = curPc + (ulong)d.Imm; break;
            case Opcode.Blt: if ((long)Unsafe.Add(ref reg, d.Rs1) < (long)Unsafe.Add(ref reg, d.Rs2)) npc = curPc + (ulong)d.Imm; break;
            case Opcode.Bge: if ((long)Unsafe.Add(ref reg, d.Rs1) >= (long)Unsafe.Add(ref reg, d.Rs2)) npc = curPc + (ulong)d.Imm; break;
            case Opcode.Bltu: if (Unsafe.Add(ref reg, d.Rs1) < Unsafe.Add(ref reg, d.Rs2)) npc = curPc + (ulong)d.Imm; break;
            case Opcode.Bgeu: if (Unsafe.Add(ref reg, d.Rs1) >= Unsafe.Add(ref reg, d.Rs2)) npc = curPc + (ulong)d.Imm; break;

            // One arm per width, so that a load or store costs a single dispatch.
            case Opcode.Lb: if (!PlainAddress(ref reg, ref d, 1, AccessLoad, in memory, out var p)) return false; Unsafe.Add(ref reg, d.Rd) = (ulong)(sbyte)*p; break;
            case Opcode.Lh: if (!PlainAddress(ref reg, ref d, 2, AccessLoad, in memory, out p)) return false; Unsafe.Add(ref reg, d.Rd) = (ulong)(short)*(ushort*)p; break;
            case Opcode.Lw: if (!PlainAddress(ref reg, ref d, 4, AccessLoad, in memory, out p)) return false; Unsafe.Add(ref reg, d.Rd) = (ulong)(int)*(uint*)p; break;
            case Opcode.Ld: if (!PlainAddress(ref reg, ref d, 8, AccessLoad, in memory, out p)) return false; Unsafe.Add(ref reg, d.Rd) = *(ulong*)p; break;
            case Opcode.Lbu: if (!PlainAddress(ref reg, ref d, 1, AccessLoad, in memory, out p)) return false; Unsafe.Add(ref reg, d.Rd) = *p; break;
            case Opcode.Lhu: if (!PlainAddress(ref reg, ref d, 2, AccessLoad, in memory, out p)) return false; Unsafe.Add(ref reg, d.Rd) = *(ushort*)p; break;
            case Opcode.Lwu: if (!PlainAddress(ref reg, ref d, 4, AccessLoad, in memory, out p)) return false; Unsafe.Add(ref reg, d.Rd) = *(uint*)p; break;
            case Opcode.Sb: if (!PlainAddress(ref reg, ref d, 1, AccessStore, in memory, out p)) return false; *p = (byte)Unsafe.Add(ref reg, d.Rs2); break;
            case Opcode.Sh: if (!PlainAddress(ref reg, ref d, 2, AccessStore, in memory, out p)) return false; *(ushort*)p = (ushort)Unsafe.Add(ref reg, d.Rs2); break;
            case Opcode.Sw: if (!PlainAddress(ref reg, ref d, 4, AccessStore, in memory, out p)) return false; *(uint*)p = (uint)Unsafe.Add(ref reg, d.Rs2); break;
            case Opcode.Sd: if (!PlainAddress(ref reg, ref d, 8, AccessStore, in memory, out p)) return false; *(ulong*)p = Unsafe.Add(ref reg, d.Rs2); break;

            case Opcode.Addi: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) + (ulong)d.Imm; break;
            case Opcode.Slti: Unsafe.Add(ref reg, d.Rd) = (long)Unsafe.Add(ref reg, d.Rs1) < d.Imm ? 1UL : 0UL; break;
            case Opcode.Sltiu: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) < (ulong)d.Imm ? 1UL : 0UL; break;
            case Opcode.Xori: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) ^ (ulong)d.Imm; break;
            case Opcode.Ori: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) | (ulong)d.Imm; break;
            case Opcode.Andi: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) & (ulong)d.Imm; break;
            case Opcode.Slli: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) << (int)d.Imm; break;
            case Opcode.Srli: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) >> (int)d.Imm; break;
            case Opcode.Srai: Unsafe.Add(ref reg, d.Rd) = (ulong)((long)Unsafe.Add(ref reg, d.Rs1) >> (int)d.Imm); break;

            case Opcode.Add: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) + Unsafe.Add(ref reg, d.Rs2); break;
            case Opcode.Sub: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) - Unsafe.Add(ref reg, d.Rs2); break;
            case Opcode.Sll: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) << (int)(Unsafe.Add(ref reg, d.Rs2) & 63); break;
            case Opcode.Slt: Unsafe.Add(ref reg, d.Rd) = (long)Unsafe.Add(ref reg, d.Rs1) < (long)Unsafe.Add(ref reg, d.Rs2) ? 1UL : 0UL; break;
            case Opcode.Sltu: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) < Unsafe.Add(ref reg, d.Rs2) ? 1UL : 0UL; break;
            case Opcode.Xor: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) ^ Unsafe.Add(ref reg, d.Rs2); break;
            case Opcode.Srl: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) >> (int)(Unsafe.Add(ref reg, d.Rs2) & 63); break;
            case Opcode.Sra: Unsafe.Add(ref reg, d.Rd) = (ulong)((long)Unsafe.Add(ref reg, d.Rs1) >> (int)(Unsafe.Add(ref reg, d.Rs2) & 63)); break;
            case Opcode.Or: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) | Unsafe.Add(ref reg, d.Rs2); break;
            case Opcode.And: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) & Unsafe.Add(ref reg, d.Rs2); break;

            case Opcode.Addiw: Unsafe.Add(ref reg, d.Rd) = (ulong)(long)(int)(Unsafe.Add(ref reg, d.Rs1) + (ulong)d.Imm); break;
            case Opcode.Slliw: Unsafe.Add(ref reg, d.Rd) = (ulong)(long)(int)((uint)Unsafe.Add(ref reg, d.Rs1) << (int)d.Imm); break;
            case Opcode.Srliw: Unsafe.Add(ref reg, d.Rd) = (ulong)(long)(int)((uint)Unsafe.Add(ref reg, d.Rs1) >> (int)d.Imm); break;
            case Opcode.Sraiw: Unsafe.Add(ref reg, d.Rd) = (ulong)(long)((int)Unsafe.Add(ref reg, d.Rs1) >> (int)d.Imm); break;
            case Opcode.Addw: Unsafe.Add(ref reg, d.Rd) = (ulong)(long)(int)(Unsafe.Add(ref reg, d.Rs1) + Unsafe.Add(ref reg, d.Rs2)); break;
            case Opcode.Subw: Unsafe.Add(ref reg, d.Rd) = (ulong)(long)(int)(Unsafe.Add(ref reg, d.Rs1) - Unsafe.Add(ref reg, d.Rs2)); break;
            case Opcode.Sllw: Unsafe.Add(ref reg, d.Rd) = (ulong)(long)(int)((uint)Unsafe.Add(ref reg, d.Rs1) << (int)(Unsafe.Add(ref reg, d.Rs2) & 31)); break;
            case Opcode.Srlw: Unsafe.Add(ref reg, d.Rd) = (ulong)(long)(int)((uint)Unsafe.Add(ref reg, d.Rs1) >> (int)(Unsafe.Add(ref reg, d.Rs2) & 31)); break;
            case Opcode.Sraw: Unsafe.Add(ref reg, d.Rd) = (ulong)(long)((int)Unsafe.Add(ref reg, d.Rs1) >> (int)(Unsafe.Add(ref reg, d.Rs2) & 31)); break;

            case Opcode.Mul: Unsafe.Add(ref reg, d.Rd) = Unsafe.Add(ref reg, d.Rs1) * Unsafe.Add(ref reg, d.Rs2); break;
            case Opcode.Mulw: Unsafe.Add(ref reg, d.Rd) = (ulong)(long)((int)Unsafe.Add(ref reg, d.Rs1) * (int)Unsafe.Add(ref reg, d.Rs2)); break;
            default:
                return false;
        }
        return true;
    }

    /// <summary>
    /// The host address of a plain load or store of <paramref name="size"/> bytes at rs1 + imm, when it takes the RAM
    /// fast path (<see cref="RamOffset"/>) and, for a store, leaves <see cref="AfterRamStore"/> nothing to do.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool PlainAddress(ref ulong reg, ref DecodedInstruction d, int size, int access, in PlainAccess memory, out byte* p)
    {
        if (RamOffset(Unsafe.Add(ref reg, d.Rs1) + (ulong)d.Imm, size, access, in memory, out var off)
            && (access != AccessStore || !StoreNeedsAfterRamStore(off, size, memory.PageFlags)))
        {
            p = memory.Ram + off;
            return true;
        }
        p = null;
        return false;
    }

    /// <summary>
    /// The interpreter's RAM fast path: the offset in main RAM of <paramref name="size"/> bytes at virtual address
    /// <paramref name="a"/> with paging off (aligned, or misaligned where the hart allows it), or on a TLB hit under
    /// Sv39 (aligned). False for everything the slow path must see: not RAM, misaligned, a TLB miss, watchpoints or a
    /// memory model (those turn <see cref="PlainAccess.Direct"/> and <see cref="PlainAccess.Paged"/> off).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool RamOffset(ulong a, int size, int access, in PlainAccess memory, out ulong off)
    {
        off = a - memory.RamBase;
        if (memory.Direct && off <= memory.RamSize - (ulong)size && ((a & (ulong)(size - 1)) == 0 || memory.Unaligned))
        {
            return true;
        }
        return memory.Paged && (a & (ulong)(size - 1)) == 0 && TlbHitInRam(a, access, size, out off);
    }

    /// <summary>
    /// Whether a RAM store at <paramref name="off"/> needs <see cref="AfterRamStore"/>: a page it touches (two for a
    /// misaligned one) holds decoded code or the watched word, or a reservation is live.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool StoreNeedsAfterRamStore(ulong off, int size, byte[] pageFlags) =>
        (pageFlags[(int)(off >> 12)] | pageFlags[(int)((off + (ulong)size - 1) >> 12)]) != 0 || shared!.ActiveReservations != 0;

    /// <summary>What <see cref="StepPlain"/>'s loads and stores need, read once (a loop keeps it in registers).</summary>
    private readonly struct PlainAccess(byte* ram, ulong ramBase, ulong ramSize, byte[] pageFlags, bool direct, bool paged, bool unaligned)
    {
        public readonly byte* Ram = ram;
        public readonly ulong RamBase = ramBase;
        public readonly ulong RamSize = ramSize;
        public readonly byte[] PageFlags = pageFlags;
        public readonly bool Direct = direct;
        public readonly bool Paged = paged;
        public readonly bool Unaligned = unaligned;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private PlainAccess PlainMemory() => new(ram, ramBase, ramSize, shared!.PageFlags, dataFast, dataPagedFast, AllowUnalignedAccesses);

    /// <summary>True for the plain instructions after which the next one is a block head (jumps and branches).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool EndsBlock(Opcode op) => (uint)(op - Opcode.Jal) <= Opcode.Bgeu - Opcode.Jal;

    /// <summary>
    /// The inner loop: plain instructions from pc, with pc and the count in registers, block heads counted in place as
    /// CountColdHead counts them, and calls and returns to other decoded code pages followed as FetchSlow follows them.
    /// It makes no call (a call would make the JIT spill what it keeps in registers) and stops before anything else:
    /// an instruction <see cref="StepPlain"/> leaves, a head that RunBlocks must see (a block, a hot head, a TLB miss,
    /// a long run CreditRun must weigh), a page not decoded yet, the limit. Returns true when it executed at least one
    /// instruction; Execute's loop then goes on exactly where it stopped. Attention is clear on entry, and nothing the
    /// loop executes can raise it.
    /// </summary>
    private bool InterpretPlain(ref ulong reg, ulong limit, ref bool lookupBlock)
    {
        var slots = fetchSlots;
        var curPc = pc;
        var page = fetchVirtualPage;
        if (slots == null || (curPc >> 12) != page || !InnerLoopEnabled)
        {
            return false;
        }
        ref var slot0 = ref MemoryMarshal.GetArrayDataReference(slots);
        var pageIndex = fetchPageIndex;
        var executed = executedTotal;
        var start = executed;
        var nextIsHead = lookupBlock;
        var countHeads = translationOn;
        var cache = shared!.Translations;
        var codePages = shared.CodePages;
        var memory = PlainMemory();
        while (executed < limit)
        {
            ref var d = ref Unsafe.Add(ref slot0, (nint)((curPc & 0xFFF) >> 1));
            var op = d.Op;
            var npc = curPc + d.Length;
            if (!StepPlain(ref reg, ref d, op, curPc, ref npc, in memory))
            {
                break;
            }
            reg = 0;
            curPc = npc;
            executed++;
            nextIsHead |= EndsBlock(op);
            if (nextIsHead && countHeads)
            {
                if (!FindColdHead(cache, curPc, out var heads, out var headPage, out var head, out var hits) || HasLongRun(executed))
                {
                    break;
                }
                heads.Hits[head] = (ushort)(hits + 1);
                StartRun(headPage, head, executed);
                nextIsHead = false;
            }
            if ((curPc >> 12) != page)
            {
                var physical = curPc;
                if (fetchTranslate && !TlbHit(curPc, AccessFetch, out physical))
                {
                    break;
                }
                var off = physical - ramBase;
                var next = off < ramSize ? codePages[(int)(off >> HartSharedState.PageShift)] : null;
                if (next == null)
                {
                    break;
                }
                slots = next;
                slot0 = ref MemoryMarshal.GetArrayDataReference(next);
                page = curPc >> 12;
                pageIndex = (int)(off >> HartSharedState.PageShift);
            }
        }
        if (slots != fetchSlots)
        {
            fetchSlots = slots;
            fetchVirtualPage = page;
            fetchPageIndex = pageIndex;
        }
        pc = curPc;
        retired += executed - start;
        executedTotal = executed;
        lookupBlock = nextIsHead;
        return executed != start;
    }
}
