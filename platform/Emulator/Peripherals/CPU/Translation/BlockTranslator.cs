using System.Reflection;
using System.Reflection.Emit;

namespace Emulator.Peripherals.CPU.Translation;

/// <summary>
/// Turns a run of RAM instructions into a <see cref="DynamicMethod"/> that the .NET JIT compiles to host code.
///
/// A block starts at a hot head and goes on through not-taken conditional branches and forward JALs within the
/// page until another jump, an instruction it does not translate, the end of the page or <see cref="MaxInstructions"/>.
/// Guest registers live in IL locals (loaded at entry, the written ones stored back at every exit). Branches
/// to instructions of the same block jump inside the method: a loop runs without leaving it, and each back edge
/// checks that the remaining budget covers one more pass, so a run stops at exactly the interpreter's count.
/// Loads and stores use the RAM fast path inline; anything else (MMIO, outside RAM, misaligned) calls the
/// interpreter's LoadSlow/StoreSlow in place after committing registers, counts and pc, so traps and devices
/// behave exactly as interpreted. A store to a page with decoded code,
/// a watched `tohost` or while reservations exist calls the interpreter's AfterRamStore and leaves the block
/// after the store if that dropped a block (maybe this very code) or asked the run to stop. AMOs on RAM are
/// inline too (a misaligned or non-RAM AMO leaves the block before it); LR/SC, FENCE and CSR accesses call the
/// interpreter's code in place.
/// </summary>
internal static unsafe class BlockTranslator
{
    public const int MaxInstructions = 128;

    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;

    private static readonly FieldInfo ExecutedTotalField = Field("executedTotal");
    private static readonly FieldInfo RetiredField = Field("retired");
    private static readonly FieldInfo PcField = Field("pc");
    private static readonly FieldInfo SharedField = Field("shared");
    private static readonly FieldInfo TlbTagField = Field("tlbTag");
    private static readonly FieldInfo TlbPhysicalPageField = Field("tlbPhysicalPage");
    private const int TlbEntries = 64;
    private const int TlbLoad = 1;
    private const int TlbStore = 2;
    private static readonly MethodInfo AfterRamStoreMethod = typeof(RiscV64).GetMethod("AfterRamStoreForBlock", Private)
        ?? throw new InvalidOperationException("RiscV64.AfterRamStoreForBlock not found");
    private static readonly MethodInfo ExecuteForBlockMethod = typeof(RiscV64).GetMethod("ExecuteForBlock", Private)
        ?? throw new InvalidOperationException("RiscV64.ExecuteForBlock not found");
    private static readonly MethodInfo AccessForBlockMethod = typeof(RiscV64).GetMethod("AccessForBlock", Private)
        ?? throw new InvalidOperationException("RiscV64.AccessForBlock not found");
    private static readonly MethodInfo PageFlagsGetter = typeof(HartSharedState).GetProperty(nameof(HartSharedState.PageFlags))!.GetGetMethod()!;
    private static readonly FieldInfo ActiveReservationsField = typeof(HartSharedState).GetField(nameof(HartSharedState.ActiveReservations))!;
    private static readonly MethodInfo StatisticsGetter = typeof(RiscV64).GetProperty(nameof(RiscV64.Statistics))!.GetGetMethod()!;
    private static readonly PropertyInfo AmoCount = typeof(HartStatistics).GetProperty(nameof(HartStatistics.AtomicMemoryOperations))!;
    private static readonly Type[] Parameters = { typeof(RiscV64), typeof(ulong).MakeByRefType(), typeof(ulong) };

    private static FieldInfo Field(string name) =>
        typeof(RiscV64).GetField(name, Private) ?? throw new InvalidOperationException($"RiscV64.{name} not found");

    /// <summary>
    /// Opcodes a block may contain: integer computation, branches, jumps, loads and stores as host code; LR/SC,
    /// AMO, FENCE and CSR accesses as calls to the interpreter's own code (<see cref="RiscV64.ExecuteForBlock"/>).
    /// ECALL, EBREAK, MRET, SRET, WFI and SFENCE.VMA always end a block: the interpreter executes them.
    /// </summary>
    public static bool IsTranslatable(Opcode op) => (op >= Opcode.Lui && op <= Opcode.FenceI) || IsCsr(op);

    private static bool IsCsr(Opcode op) => op >= Opcode.Csrrw && op <= Opcode.Csrrci;

    /// <summary>AMOs (not LR/SC): inline on RAM, as the interpreter's AtomicMemoryOperation does them there.</summary>
    public static bool IsAmo(Opcode op) => op is >= Opcode.AmoswapW and <= Opcode.AmomaxuW or >= Opcode.AmoswapD and <= Opcode.AmomaxuD;

    /// <summary>Instructions a block executes by calling the interpreter.</summary>
    public static bool IsCallOut(Opcode op) => ((op >= Opcode.LrW && op <= Opcode.FenceI) || IsCsr(op)) && !IsAmo(op);

    /// <summary>
    /// Translates the block whose first instruction is at <paramref name="startOffset"/> of RAM page
    /// <paramref name="page"/>, or returns null when that instruction cannot be translated.
    /// </summary>
    /// <remarks>
    /// <paramref name="virtualPage"/> is the page's address as the hart sees it (pc constants are built from it);
    /// with <paramref name="pagedData"/> loads and stores look their virtual address up in the hart's Sv39 TLB
    /// inline (a miss takes the interpreter's slow path, which walks the tables and raises page faults).
    /// </remarks>
    public static TranslatedBlock? Translate(HartSharedState shared, int page, int startOffset, ulong virtualPage, bool pagedData)
    {
        var insns = Decode(shared, page, startOffset, out var endOffset);
        return insns == null ? null : Build(shared, virtualPage, pagedData, insns, startOffset, endOffset);
    }

    /// <summary>
    /// The instructions of the block at <paramref name="startOffset"/> of RAM page <paramref name="page"/> (null when
    /// the first cannot be translated), and the page offset just past the last. Reads RAM: emulation thread only.
    /// </summary>
    public static List<(DecodedInstruction D, int Offset)>? Decode(HartSharedState shared, int page, int startOffset, out int endOffset)
    {
        var pageBase = (ulong)page << HartSharedState.PageShift;
        var bytes = shared.Ram + pageBase;
        var insns = new List<(DecodedInstruction D, int Offset)>();
        var offset = startOffset;
        while (insns.Count < MaxInstructions && offset < 0x1000)
        {
            uint raw = *(ushort*)(bytes + offset);
            if ((raw & 3) == 3)
            {
                if (offset == 0xFFE)
                {
                    break; // straddles the page: the interpreter decodes it into scratch
                }
                raw |= (uint)*(ushort*)(bytes + offset + 2) << 16;
            }
            var d = default(DecodedInstruction);
            InstructionDecoder.Decode(raw, ref d);
            if (!IsTranslatable(d.Op))
            {
                break;
            }
            insns.Add((d, offset));
            offset += d.Length;
            // A forward JAL inside the page (the `j` over an else arm, a jump to a loop's test) does not end the
            // block: decoding goes on after it, so the target usually lands in this block and the jump stays in
            // the method. Other jumps end it.
            if (d.Op is Opcode.Jalr || (d.Op is Opcode.Jal && (d.Imm <= 0 || offset - d.Length + d.Imm >= 0x1000)))
            {
                break;
            }
        }
        endOffset = offset;
        return insns.Count == 0 ? null : insns;
    }

    /// <summary>
    /// Compiles decoded instructions into a block. Touches no guest state (only the constant RAM window of
    /// <paramref name="shared"/>), so it may run on <see cref="BlockCompiler"/>'s thread.
    /// </summary>
    public static TranslatedBlock Build(HartSharedState shared, ulong virtualPage, bool pagedData,
        List<(DecodedInstruction D, int Offset)> insns, int startOffset, int endOffset)
    {
        var code = new Emitter(shared, virtualPage, pagedData, insns).Emit();
        return new TranslatedBlock(code, startOffset, endOffset, insns.Count, virtualPage, pagedData);
    }

    private sealed class Emitter
    {
        private readonly HartSharedState shared;
        private readonly ulong pageAddress;
        private readonly bool pagedData;
        private LocalBuilder? tlbTags;
        private LocalBuilder? tlbPages;
        private LocalBuilder? tlbIndex;
        private LocalBuilder? vpn;
        private readonly List<(DecodedInstruction D, int Offset)> insns;
        private readonly DynamicMethod method;
        private readonly ILGenerator il;
        private readonly LocalBuilder?[] regs = new LocalBuilder?[32];
        private readonly bool[] written = new bool[32];
        private readonly Label[] labels;
        private readonly bool[] isTarget;
        private readonly List<Action> stubs = new();
        private readonly LocalBuilder count;
        private readonly LocalBuilder exitPc;
        private readonly LocalBuilder status;
        private readonly LocalBuilder address;
        private readonly LocalBuilder offset;
        private readonly LocalBuilder committed;
        private readonly LocalBuilder result;
        private readonly Label trapped;
        private LocalBuilder? flags;
        private LocalBuilder? reservations;
        private readonly Label exitNormal;
        private readonly Label exitSide;
        private readonly Label epilogue;
        private int segmentStart;

        public Emitter(HartSharedState shared, ulong pageAddress, bool pagedData, List<(DecodedInstruction D, int Offset)> insns)
        {
            this.shared = shared;
            this.pageAddress = pageAddress;
            this.pagedData = pagedData;
            this.insns = insns;
            method = new DynamicMethod($"block_{pageAddress + (ulong)insns[0].Offset:X}", typeof(int), Parameters, typeof(RiscV64), skipVisibility: true);
            il = method.GetILGenerator();
            labels = new Label[insns.Count];
            isTarget = new bool[insns.Count];
            count = il.DeclareLocal(typeof(ulong));
            exitPc = il.DeclareLocal(typeof(ulong));
            status = il.DeclareLocal(typeof(int));
            address = il.DeclareLocal(typeof(ulong));
            offset = il.DeclareLocal(typeof(ulong));
            committed = il.DeclareLocal(typeof(ulong));
            result = il.DeclareLocal(typeof(int));
            trapped = il.DefineLabel();
            exitNormal = il.DefineLabel();
            exitSide = il.DefineLabel();
            epilogue = il.DefineLabel();
        }

        private ulong Pc(int i) => pageAddress + (ulong)insns[i].Offset;

        private int Length => insns.Count;

        private ulong EndPc => Pc(Length - 1) + insns[Length - 1].D.Length;

        private int IndexOf(ulong target)
        {
            if (target < Pc(0) || target >= EndPc)
            {
                return -1;
            }
            for (var i = 0; i < insns.Count; i++)
            {
                if (Pc(i) == target)
                {
                    return i;
                }
            }
            return -1;
        }

        private static bool WritesRd(Opcode op) => op is not (>= Opcode.Beq and <= Opcode.Bgeu) and not (>= Opcode.Sb and <= Opcode.Sd);

        private static bool IsStore(Opcode op) => op is >= Opcode.Sb and <= Opcode.Sd || IsAmo(op);

        public BlockCode Emit()
        {
            // Budget 0 returns at once, before anything is read: BlockCompiler calls the method so to have the JIT
            // compile it on its own thread. A hart enters a block only with a budget of at least its length.
            var body = il.DefineLabel();
            il.Emit(OpCodes.Ldarg_2);
            il.Emit(OpCodes.Brtrue, body);
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Ret);
            il.MarkLabel(body);
            Prepare();
            for (var i = 0; i < insns.Count; i++)
            {
                if (isTarget[i])
                {
                    AddCount(i - segmentStart);
                    il.MarkLabel(labels[i]);
                    segmentStart = i;
                }
                EmitInstruction(i);
            }
            var last = insns[Length - 1].D.Op;
            if (last is not (Opcode.Jal or Opcode.Jalr))
            {
                // The block ended before something it does not translate, or at the page end.
                ExitTo(EndPc, Length - segmentStart);
            }
            foreach (var stub in stubs)
            {
                stub();
            }
            EmitEpilogue();
            // A call-out trapped: it stored the registers, committed the counts, counted the slot and set pc.
            il.MarkLabel(trapped);
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Ret);
            return (BlockCode)method.CreateDelegate(typeof(BlockCode));
        }

        private void Prepare()
        {
            var used = new bool[32];
            var hasStore = false;
            var hasMemory = false;
            for (var i = 0; i < insns.Count; i++)
            {
                var d = insns[i].D;
                used[d.Rs1] = true;
                used[d.Rs2] = true;
                used[d.Rd] = true;
                if (WritesRd(d.Op))
                {
                    written[d.Rd] = true;
                }
                hasStore |= IsStore(d.Op);
                hasMemory |= IsStore(d.Op) || d.Op is >= Opcode.Lb and <= Opcode.Lwu;
                labels[i] = il.DefineLabel();
                if (d.Op is >= Opcode.Beq and <= Opcode.Bgeu or Opcode.Jal)
                {
                    var t = IndexOf(Pc(i) + (ulong)d.Imm);
                    if (t >= 0)
                    {
                        isTarget[t] = true;
                    }
                }
            }
            written[0] = false;
            for (var r = 1; r < 32; r++)
            {
                if (used[r])
                {
                    regs[r] = il.DeclareLocal(typeof(ulong));
                    il.Emit(OpCodes.Ldarg_1);
                    if (r != 0)
                    {
                        il.Emit(OpCodes.Ldc_I4, r * 8);
                        il.Emit(OpCodes.Add);
                    }
                    il.Emit(OpCodes.Ldind_I8);
                    il.Emit(OpCodes.Stloc, regs[r]!);
                }
            }
            if (pagedData && hasMemory)
            {
                // The hart's TLB arrays (readonly fields); their contents are read at every access.
                tlbTags = il.DeclareLocal(typeof(ulong[]));
                tlbPages = il.DeclareLocal(typeof(ulong[]));
                tlbIndex = il.DeclareLocal(typeof(int));
                vpn = il.DeclareLocal(typeof(ulong));
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldfld, TlbTagField);
                il.Emit(OpCodes.Stloc, tlbTags);
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldfld, TlbPhysicalPageField);
                il.Emit(OpCodes.Stloc, tlbPages);
            }
            if (hasStore)
            {
                // Neither changes inside the block except through AfterRamStore and call-outs, which reload them.
                flags = il.DeclareLocal(typeof(byte[]));
                reservations = il.DeclareLocal(typeof(int));
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldfld, SharedField);
                il.Emit(OpCodes.Dup);
                il.Emit(OpCodes.Call, PageFlagsGetter);
                il.Emit(OpCodes.Stloc, flags);
                il.Emit(OpCodes.Ldfld, ActiveReservationsField);
                il.Emit(OpCodes.Stloc, reservations);
            }
        }

        private void Ld(int r)
        {
            if (r == 0)
            {
                il.Emit(OpCodes.Ldc_I8, 0L);
            }
            else
            {
                il.Emit(OpCodes.Ldloc, regs[r]!);
            }
        }

        private void St(int r)
        {
            if (r == 0)
            {
                il.Emit(OpCodes.Pop);
            }
            else
            {
                il.Emit(OpCodes.Stloc, regs[r]!);
            }
        }

        private void AddCount(int k)
        {
            if (k != 0)
            {
                il.Emit(OpCodes.Ldloc, count);
                il.Emit(OpCodes.Ldc_I8, (long)k);
                il.Emit(OpCodes.Add);
                il.Emit(OpCodes.Stloc, count);
            }
        }

        private void ExitTo(ulong target, int executed)
        {
            AddCount(executed);
            il.Emit(OpCodes.Ldc_I8, (long)target);
            il.Emit(OpCodes.Stloc, exitPc);
            il.Emit(OpCodes.Br, exitNormal);
        }

        /// <summary>Out-of-line code for a taken branch or jump from instruction <paramref name="i"/> to <paramref name="target"/>.</summary>
        private void EmitTaken(int i, ulong target, int executed)
        {
            var t = IndexOf(target);
            if (t < 0)
            {
                ExitTo(target, executed);
                return;
            }
            AddCount(executed);
            if (t <= i)
            {
                // Back edge: go round again only if the budget covers the longest pass from the target.
                var leave = il.DefineLabel();
                il.Emit(OpCodes.Ldloc, count);
                il.Emit(OpCodes.Ldarg_2);
                il.Emit(OpCodes.Ldc_I8, (long)(Length - t));
                il.Emit(OpCodes.Sub);
                il.Emit(OpCodes.Bgt_Un, leave);
                il.Emit(OpCodes.Br, labels[t]);
                il.MarkLabel(leave);
                il.Emit(OpCodes.Ldc_I8, (long)target);
                il.Emit(OpCodes.Stloc, exitPc);
                il.Emit(OpCodes.Br, exitNormal);
            }
            else
            {
                il.Emit(OpCodes.Br, labels[t]);
            }
        }

        private void EmitEpilogue()
        {
            il.MarkLabel(exitNormal);
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Stloc, status);
            il.Emit(OpCodes.Br, epilogue);
            il.MarkLabel(exitSide);
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Stloc, status);
            il.MarkLabel(epilogue);
            StoreRegisters();
            Bump(ExecutedTotalField);
            Bump(RetiredField);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldloc, exitPc);
            il.Emit(OpCodes.Stfld, PcField);
            il.Emit(OpCodes.Ldloc, status);
            il.Emit(OpCodes.Ret);
        }

        private void StoreRegisters()
        {
            for (var r = 1; r < 32; r++)
            {
                if (written[r])
                {
                    il.Emit(OpCodes.Ldarg_1);
                    il.Emit(OpCodes.Ldc_I4, r * 8);
                    il.Emit(OpCodes.Add);
                    il.Emit(OpCodes.Ldloc, regs[r]!);
                    il.Emit(OpCodes.Stind_I8);
                }
            }
        }

        /// <summary>Adds the instructions not yet committed (count - committed) to a counter field.</summary>
        private void Bump(FieldInfo field)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, field);
            il.Emit(OpCodes.Ldloc, count);
            il.Emit(OpCodes.Ldloc, committed);
            il.Emit(OpCodes.Sub);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Stfld, field);
        }

        /// <summary>
        /// An instruction executed by the interpreter's code: registers to the array, counts and pc committed (a
        /// trap takes mepc from pc, an MMIO access or a counter read sees the exact count), then the call.
        /// </summary>
        /// <summary>
        /// After a call into the interpreter: branch to the trap exit when it trapped (result 2),
        /// reload the destination register it wrote (0: none) and the reservation count an LR/SC may change.
        /// </summary>
        private void EmitAfterCallOut(int rd)
        {
            il.Emit(OpCodes.Stloc, result);
            il.Emit(OpCodes.Ldloc, result);
            il.Emit(OpCodes.Ldc_I4_2);
            il.Emit(OpCodes.Beq, trapped);
            if (rd != 0)
            {
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Ldc_I4, rd * 8);
                il.Emit(OpCodes.Add);
                il.Emit(OpCodes.Ldind_I8);
                il.Emit(OpCodes.Stloc, regs[rd]!);
            }
            if (reservations != null)
            {
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldfld, SharedField);
                il.Emit(OpCodes.Ldfld, ActiveReservationsField);
                il.Emit(OpCodes.Stloc, reservations);
            }
        }

        private void EmitCallOut(int i, DecodedInstruction d, ulong npc)
        {
            AddCount(i - segmentStart);
            segmentStart = i;
            StoreRegisters();
            Bump(ExecutedTotalField);
            Bump(RetiredField);
            il.Emit(OpCodes.Ldloc, count);
            il.Emit(OpCodes.Stloc, committed);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldc_I8, (long)Pc(i));
            il.Emit(OpCodes.Stfld, PcField);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4, (int)d.Op);
            il.Emit(OpCodes.Ldc_I4, (int)d.Rd);
            il.Emit(OpCodes.Ldc_I4, (int)d.Rs1);
            il.Emit(OpCodes.Ldc_I4, (int)d.Rs2);
            il.Emit(OpCodes.Ldc_I8, d.Imm);
            il.Emit(OpCodes.Ldc_I4, unchecked((int)d.Raw));
            il.Emit(OpCodes.Call, ExecuteForBlockMethod);
            EmitAfterCallOut(d.Rd);
            var leave = il.DefineLabel();
            il.Emit(OpCodes.Ldloc, result);
            il.Emit(OpCodes.Brtrue, leave);
            stubs.Add(() =>
            {
                il.MarkLabel(leave);
                ExitTo(npc, 1);
            });
        }

        private void EmitInstruction(int i)
        {
            var d = insns[i].D;
            var pc = Pc(i);
            var npc = pc + d.Length;
            var executed = i + 1 - segmentStart;
            switch (d.Op)
            {
                case Opcode.Lui:
                    il.Emit(OpCodes.Ldc_I8, d.Imm);
                    St(d.Rd);
                    break;
                case Opcode.Auipc:
                    il.Emit(OpCodes.Ldc_I8, (long)(pc + (ulong)d.Imm));
                    St(d.Rd);
                    break;
                case Opcode.Jal:
                    il.Emit(OpCodes.Ldc_I8, (long)npc);
                    St(d.Rd);
                    EmitTaken(i, pc + (ulong)d.Imm, executed);
                    break;
                case Opcode.Jalr:
                    // The target is computed before rd is written: rd may be rs1.
                    Ld(d.Rs1);
                    il.Emit(OpCodes.Ldc_I8, d.Imm);
                    il.Emit(OpCodes.Add);
                    il.Emit(OpCodes.Ldc_I8, ~1L);
                    il.Emit(OpCodes.And);
                    il.Emit(OpCodes.Stloc, exitPc);
                    il.Emit(OpCodes.Ldc_I8, (long)npc);
                    St(d.Rd);
                    AddCount(executed);
                    il.Emit(OpCodes.Br, exitNormal);
                    break;
                case >= Opcode.Beq and <= Opcode.Bgeu:
                    {
                        var taken = il.DefineLabel();
                        Ld(d.Rs1);
                        Ld(d.Rs2);
                        il.Emit(d.Op switch
                        {
                            Opcode.Beq => OpCodes.Beq,
                            Opcode.Bne => OpCodes.Bne_Un,
                            Opcode.Blt => OpCodes.Blt,
                            Opcode.Bge => OpCodes.Bge,
                            Opcode.Bltu => OpCodes.Blt_Un,
                            _ => OpCodes.Bge_Un,
                        }, taken);
                        var target = pc + (ulong)d.Imm;
                        stubs.Add(() =>
                        {
                            il.MarkLabel(taken);
                            EmitTaken(i, target, executed);
                        });
                        break;
                    }
                case >= Opcode.Lb and <= Opcode.Lwu:
                    EmitLoad(i, d);
                    break;
                case >= Opcode.Sb and <= Opcode.Sd:
                    EmitStore(i, d, npc, executed);
                    break;
                case var op when IsAmo(op):
                    EmitAmo(i, d, npc, executed);
                    break;
                case var op when IsCallOut(op):
                    EmitCallOut(i, d, npc);
                    break;
                default:
                    EmitAlu(d);
                    break;
            }
        }

        /// <summary>Computes address and RAM offset, leaving the RAM pointer on the stack; goes to the slow path (or leaves the block before instruction i) unless the fast path applies.</summary>
        private void EmitAddress(int i, DecodedInstruction d, int size, Label? slowPath = null)
        {
            Label side;
            if (slowPath is { } slow)
            {
                side = slow;
            }
            else
            {
                side = il.DefineLabel();
                var before = i - segmentStart;
                var pc = Pc(i);
                stubs.Add(() =>
                {
                    il.MarkLabel(side);
                    AddCount(before);
                    il.Emit(OpCodes.Ldc_I8, (long)pc);
                    il.Emit(OpCodes.Stloc, exitPc);
                    il.Emit(OpCodes.Br, exitSide);
                });
            }
            Ld(d.Rs1);
            il.Emit(OpCodes.Ldc_I8, d.Imm);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Stloc, address);
            if (size > 1)
            {
                il.Emit(OpCodes.Ldloc, address);
                il.Emit(OpCodes.Ldc_I8, (long)(size - 1));
                il.Emit(OpCodes.And);
                il.Emit(OpCodes.Ldc_I8, 0L);
                il.Emit(OpCodes.Bne_Un, side);
            }
            if (pagedData)
            {
                // The interpreter's TLB look-up: a hit for this access kind means the walk and the permission
                // check for the current privilege/SUM/MXR were done; a miss takes the slow path.
                var table = d.Op is >= Opcode.Lb and <= Opcode.Lwu ? TlbLoad : TlbStore;
                il.Emit(OpCodes.Ldloc, address);
                il.Emit(OpCodes.Ldc_I4, 12);
                il.Emit(OpCodes.Shr_Un);
                il.Emit(OpCodes.Dup);
                il.Emit(OpCodes.Stloc, vpn!);
                il.Emit(OpCodes.Conv_I4);
                il.Emit(OpCodes.Ldc_I4, TlbEntries - 1);
                il.Emit(OpCodes.And);
                il.Emit(OpCodes.Ldc_I4, table * TlbEntries);
                il.Emit(OpCodes.Add);
                il.Emit(OpCodes.Stloc, tlbIndex!);
                il.Emit(OpCodes.Ldloc, tlbTags!);
                il.Emit(OpCodes.Ldloc, tlbIndex!);
                il.Emit(OpCodes.Ldelem_I8);
                il.Emit(OpCodes.Ldloc, vpn!);
                il.Emit(OpCodes.Ldc_I8, 1L);
                il.Emit(OpCodes.Add);
                il.Emit(OpCodes.Bne_Un, side);
                il.Emit(OpCodes.Ldloc, tlbPages!);
                il.Emit(OpCodes.Ldloc, tlbIndex!);
                il.Emit(OpCodes.Ldelem_I8);
                il.Emit(OpCodes.Ldloc, address);
                il.Emit(OpCodes.Ldc_I8, 0xFFFL);
                il.Emit(OpCodes.And);
                il.Emit(OpCodes.Or);
            }
            else
            {
                il.Emit(OpCodes.Ldloc, address);
            }
            il.Emit(OpCodes.Ldc_I8, (long)shared.RamBase);
            il.Emit(OpCodes.Sub);
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Stloc, offset);
            il.Emit(OpCodes.Ldc_I8, (long)(shared.RamSize - (ulong)size));
            il.Emit(OpCodes.Bgt_Un, side);
            il.Emit(OpCodes.Ldc_I8, (long)shared.Ram);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Ldloc, offset);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Add);
        }

        private void EmitLoad(int i, DecodedInstruction d)
        {
            var size = d.Op switch
            {
                Opcode.Lb or Opcode.Lbu => 1,
                Opcode.Lh or Opcode.Lhu => 2,
                Opcode.Lw or Opcode.Lwu => 4,
                _ => 8,
            };
            var slow = il.DefineLabel();
            var next = il.DefineLabel();
            EmitAddress(i, d, size, slow);
            switch (d.Op)
            {
                case Opcode.Lb: il.Emit(OpCodes.Ldind_I1); il.Emit(OpCodes.Conv_I8); break;
                case Opcode.Lbu: il.Emit(OpCodes.Ldind_U1); il.Emit(OpCodes.Conv_U8); break;
                case Opcode.Lh: il.Emit(OpCodes.Ldind_I2); il.Emit(OpCodes.Conv_I8); break;
                case Opcode.Lhu: il.Emit(OpCodes.Ldind_U2); il.Emit(OpCodes.Conv_U8); break;
                case Opcode.Lw: il.Emit(OpCodes.Ldind_I4); il.Emit(OpCodes.Conv_I8); break;
                case Opcode.Lwu: il.Emit(OpCodes.Ldind_U4); il.Emit(OpCodes.Conv_U8); break;
                default: il.Emit(OpCodes.Ldind_I8); break;
            }
            St(d.Rd);
            il.MarkLabel(next);
            EmitSlowAccess(i, d, next, slow);
        }

        /// <summary>
        /// Out of line: a load or store the RAM fast path does not take (MMIO, misaligned, outside RAM) runs the
        /// interpreter's LoadSlow/StoreSlow in place, with the call-out protocol (registers stored, counts and pc
        /// committed). The counts added here are taken back before rejoining the main line, whose static counts
        /// already include this path; only `committed` remembers what reached the hart.
        /// </summary>
        private void EmitSlowAccess(int i, DecodedInstruction d, Label next, Label slow)
        {
            var before = i - segmentStart;
            var npc = Pc(i) + d.Length;
            stubs.Add(() =>
            {
                il.MarkLabel(slow);
                AddCount(before);
                StoreRegisters();
                Bump(ExecutedTotalField);
                Bump(RetiredField);
                il.Emit(OpCodes.Ldloc, count);
                il.Emit(OpCodes.Stloc, committed);
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldc_I8, (long)Pc(i));
                il.Emit(OpCodes.Stfld, PcField);
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Ldc_I4, (int)d.Op);
                il.Emit(OpCodes.Ldc_I4, (int)d.Rd);
                il.Emit(OpCodes.Ldloc, address);
                Ld(d.Rs2); // the value to store (ignored for loads)
                il.Emit(OpCodes.Call, AccessForBlockMethod);
                EmitAfterCallOut(d.Op <= Opcode.Lwu ? d.Rd : 0);
                var leave = il.DefineLabel();
                il.Emit(OpCodes.Ldloc, result);
                il.Emit(OpCodes.Brtrue, leave);
                AddCount(-before);
                il.Emit(OpCodes.Br, next);
                il.MarkLabel(leave);
                ExitTo(npc, 1);
            });
        }

        private void EmitStore(int i, DecodedInstruction d, ulong npc, int executed)
        {
            var size = 1 << (d.Op - Opcode.Sb);
            var slow = il.DefineLabel();
            var next = il.DefineLabel();
            EmitAddress(i, d, size, slow);
            Ld(d.Rs2);
            switch (size)
            {
                case 1: il.Emit(OpCodes.Conv_U1); il.Emit(OpCodes.Stind_I1); break;
                case 2: il.Emit(OpCodes.Conv_U2); il.Emit(OpCodes.Stind_I2); break;
                case 4: il.Emit(OpCodes.Conv_U4); il.Emit(OpCodes.Stind_I4); break;
                default: il.Emit(OpCodes.Stind_I8); break;
            }
            EmitAfterStoreCheck(d, npc, executed, size);
            il.MarkLabel(next);
            EmitSlowAccess(i, d, next, slow);
        }

        /// <summary>
        /// After a RAM store: if the page holds code (maybe this block), a watched tohost, or some hart holds a
        /// reservation, call AfterRamStore and leave the block after this instruction.
        /// </summary>
        private void EmitAfterStoreCheck(DecodedInstruction d, ulong npc, int executed, int size, LocalBuilder? value = null)
        {
            var after = il.DefineLabel();
            var resume = il.DefineLabel();
            il.Emit(OpCodes.Ldloc, flags!);
            il.Emit(OpCodes.Ldloc, offset);
            il.Emit(OpCodes.Ldc_I4, HartSharedState.PageShift);
            il.Emit(OpCodes.Shr_Un);
            il.Emit(OpCodes.Conv_I);
            il.Emit(OpCodes.Ldelem_U1);
            il.Emit(OpCodes.Ldloc, reservations!);
            il.Emit(OpCodes.Or);
            il.Emit(OpCodes.Brtrue, after);
            il.MarkLabel(resume);
            stubs.Add(() =>
            {
                il.MarkLabel(after);
                il.Emit(OpCodes.Ldarg_0);
                // The physical address (the virtual one under Sv39 is not what reservations and tohost watch).
                il.Emit(OpCodes.Ldloc, offset);
                il.Emit(OpCodes.Ldc_I8, (long)shared.RamBase);
                il.Emit(OpCodes.Add);
                il.Emit(OpCodes.Ldloc, offset);
                il.Emit(OpCodes.Ldc_I4, size);
                if (value != null)
                {
                    il.Emit(OpCodes.Ldloc, value);
                }
                else
                {
                    Ld(d.Rs2);
                }
                il.Emit(OpCodes.Call, AfterRamStoreMethod);
                // Breaking reservations changes their number.
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldfld, SharedField);
                il.Emit(OpCodes.Ldfld, ActiveReservationsField);
                il.Emit(OpCodes.Stloc, reservations!);
                // Nothing changed for this block: go on with the next instruction.
                il.Emit(OpCodes.Brfalse, resume);
                ExitTo(npc, executed);
            });
        }

        /// <summary>
        /// AMO on RAM, as AtomicMemoryOperation does it: aligned (else the interpreter traps it), read, combine,
        /// write, AfterRamStore when the page or reservations need it, count it; rd gets the old value.
        /// </summary>
        private void EmitAmo(int i, DecodedInstruction d, ulong npc, int executed)
        {
            var word = d.Op <= Opcode.AmomaxuW;
            var size = word ? 4 : 8;
            var kind = word ? d.Op - Opcode.AmoswapW : d.Op - Opcode.AmoswapD;
            var pointer = il.DeclareLocal(typeof(byte*));
            var old = il.DeclareLocal(typeof(ulong));
            var value = il.DeclareLocal(typeof(ulong));
            EmitAddress(i, d, size);
            il.Emit(OpCodes.Stloc, pointer);
            il.Emit(OpCodes.Ldloc, pointer);
            il.Emit(word ? OpCodes.Ldind_U4 : OpCodes.Ldind_I8);
            if (word)
            {
                il.Emit(OpCodes.Conv_U8);
            }
            il.Emit(OpCodes.Stloc, old);
            il.Emit(OpCodes.Ldc_I4, kind);
            il.Emit(word ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Ldloc, old);
            Ld(d.Rs2);
            Helper(nameof(TranslationHelpers.AmoResult));
            il.Emit(OpCodes.Stloc, value);
            il.Emit(OpCodes.Ldloc, pointer);
            il.Emit(OpCodes.Ldloc, value);
            il.Emit(word ? OpCodes.Conv_U4 : OpCodes.Nop);
            il.Emit(word ? OpCodes.Stind_I4 : OpCodes.Stind_I8);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Call, StatisticsGetter);
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Call, AmoCount.GetGetMethod(true)!);
            il.Emit(OpCodes.Ldc_I8, 1L);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Call, AmoCount.GetSetMethod(true)!);
            il.Emit(OpCodes.Ldloc, old);
            if (word)
            {
                il.Emit(OpCodes.Conv_I4);
                il.Emit(OpCodes.Conv_I8);
            }
            St(d.Rd);
            EmitAfterStoreCheck(d, npc, executed, size, value);
        }

        private void Helper(string name)
        {
            il.Emit(OpCodes.Call, typeof(TranslationHelpers).GetMethod(name)!);
        }

        private void EmitAlu(DecodedInstruction d)
        {
            var imm = d.Imm;
            switch (d.Op)
            {
                case Opcode.Addi: Ld(d.Rs1); il.Emit(OpCodes.Ldc_I8, imm); il.Emit(OpCodes.Add); break;
                case Opcode.Slti: Ld(d.Rs1); il.Emit(OpCodes.Ldc_I8, imm); il.Emit(OpCodes.Clt); il.Emit(OpCodes.Conv_U8); break;
                case Opcode.Sltiu: Ld(d.Rs1); il.Emit(OpCodes.Ldc_I8, imm); il.Emit(OpCodes.Clt_Un); il.Emit(OpCodes.Conv_U8); break;
                case Opcode.Xori: Ld(d.Rs1); il.Emit(OpCodes.Ldc_I8, imm); il.Emit(OpCodes.Xor); break;
                case Opcode.Ori: Ld(d.Rs1); il.Emit(OpCodes.Ldc_I8, imm); il.Emit(OpCodes.Or); break;
                case Opcode.Andi: Ld(d.Rs1); il.Emit(OpCodes.Ldc_I8, imm); il.Emit(OpCodes.And); break;
                case Opcode.Slli: Ld(d.Rs1); il.Emit(OpCodes.Ldc_I4, (int)(imm & 63)); il.Emit(OpCodes.Shl); break;
                case Opcode.Srli: Ld(d.Rs1); il.Emit(OpCodes.Ldc_I4, (int)(imm & 63)); il.Emit(OpCodes.Shr_Un); break;
                case Opcode.Srai: Ld(d.Rs1); il.Emit(OpCodes.Ldc_I4, (int)(imm & 63)); il.Emit(OpCodes.Shr); break;

                case Opcode.Add: Ld(d.Rs1); Ld(d.Rs2); il.Emit(OpCodes.Add); break;
                case Opcode.Sub: Ld(d.Rs1); Ld(d.Rs2); il.Emit(OpCodes.Sub); break;
                case Opcode.Sll: Ld(d.Rs1); Shift64(d.Rs2); il.Emit(OpCodes.Shl); break;
                case Opcode.Slt: Ld(d.Rs1); Ld(d.Rs2); il.Emit(OpCodes.Clt); il.Emit(OpCodes.Conv_U8); break;
                case Opcode.Sltu: Ld(d.Rs1); Ld(d.Rs2); il.Emit(OpCodes.Clt_Un); il.Emit(OpCodes.Conv_U8); break;
                case Opcode.Xor: Ld(d.Rs1); Ld(d.Rs2); il.Emit(OpCodes.Xor); break;
                case Opcode.Srl: Ld(d.Rs1); Shift64(d.Rs2); il.Emit(OpCodes.Shr_Un); break;
                case Opcode.Sra: Ld(d.Rs1); Shift64(d.Rs2); il.Emit(OpCodes.Shr); break;
                case Opcode.Or: Ld(d.Rs1); Ld(d.Rs2); il.Emit(OpCodes.Or); break;
                case Opcode.And: Ld(d.Rs1); Ld(d.Rs2); il.Emit(OpCodes.And); break;

                case Opcode.Addiw: Ld(d.Rs1); il.Emit(OpCodes.Ldc_I8, imm); il.Emit(OpCodes.Add); Word(); break;
                case Opcode.Slliw: Ld(d.Rs1); il.Emit(OpCodes.Conv_I4); il.Emit(OpCodes.Ldc_I4, (int)(imm & 31)); il.Emit(OpCodes.Shl); il.Emit(OpCodes.Conv_I8); break;
                case Opcode.Srliw: Ld(d.Rs1); il.Emit(OpCodes.Conv_I4); il.Emit(OpCodes.Ldc_I4, (int)(imm & 31)); il.Emit(OpCodes.Shr_Un); il.Emit(OpCodes.Conv_I8); break;
                case Opcode.Sraiw: Ld(d.Rs1); il.Emit(OpCodes.Conv_I4); il.Emit(OpCodes.Ldc_I4, (int)(imm & 31)); il.Emit(OpCodes.Shr); il.Emit(OpCodes.Conv_I8); break;
                case Opcode.Addw: Ld(d.Rs1); Ld(d.Rs2); il.Emit(OpCodes.Add); Word(); break;
                case Opcode.Subw: Ld(d.Rs1); Ld(d.Rs2); il.Emit(OpCodes.Sub); Word(); break;
                case Opcode.Sllw: Ld(d.Rs1); il.Emit(OpCodes.Conv_I4); Shift32(d.Rs2); il.Emit(OpCodes.Shl); il.Emit(OpCodes.Conv_I8); break;
                case Opcode.Srlw: Ld(d.Rs1); il.Emit(OpCodes.Conv_I4); Shift32(d.Rs2); il.Emit(OpCodes.Shr_Un); il.Emit(OpCodes.Conv_I8); break;
                case Opcode.Sraw: Ld(d.Rs1); il.Emit(OpCodes.Conv_I4); Shift32(d.Rs2); il.Emit(OpCodes.Shr); il.Emit(OpCodes.Conv_I8); break;

                case Opcode.Mul: Ld(d.Rs1); Ld(d.Rs2); il.Emit(OpCodes.Mul); break;
                case Opcode.Mulw: Ld(d.Rs1); il.Emit(OpCodes.Conv_I4); Ld(d.Rs2); il.Emit(OpCodes.Conv_I4); il.Emit(OpCodes.Mul); il.Emit(OpCodes.Conv_I8); break;
                case Opcode.Mulh: Ld(d.Rs1); Ld(d.Rs2); Helper(nameof(TranslationHelpers.Mulh)); break;
                case Opcode.Mulhu: Ld(d.Rs1); Ld(d.Rs2); Helper(nameof(TranslationHelpers.Mulhu)); break;
                case Opcode.Mulhsu: Ld(d.Rs1); Ld(d.Rs2); Helper(nameof(TranslationHelpers.Mulhsu)); break;
                case Opcode.Div: Ld(d.Rs1); Ld(d.Rs2); Helper(nameof(TranslationHelpers.Div)); break;
                case Opcode.Divu: Ld(d.Rs1); Ld(d.Rs2); Helper(nameof(TranslationHelpers.Divu)); break;
                case Opcode.Rem: Ld(d.Rs1); Ld(d.Rs2); Helper(nameof(TranslationHelpers.Rem)); break;
                case Opcode.Remu: Ld(d.Rs1); Ld(d.Rs2); Helper(nameof(TranslationHelpers.Remu)); break;
                case Opcode.Divw: Ld(d.Rs1); Ld(d.Rs2); Helper(nameof(TranslationHelpers.Divw)); break;
                case Opcode.Divuw: Ld(d.Rs1); Ld(d.Rs2); Helper(nameof(TranslationHelpers.Divuw)); break;
                case Opcode.Remw: Ld(d.Rs1); Ld(d.Rs2); Helper(nameof(TranslationHelpers.Remw)); break;
                case Opcode.Remuw: Ld(d.Rs1); Ld(d.Rs2); Helper(nameof(TranslationHelpers.Remuw)); break;
                default:
                    throw new InvalidOperationException($"{d.Op} is not translatable");
            }
            St(d.Rd);
        }

        private void Word()
        {
            il.Emit(OpCodes.Conv_I4);
            il.Emit(OpCodes.Conv_I8);
        }

        private void Shift64(int rs2)
        {
            Ld(rs2);
            il.Emit(OpCodes.Conv_I4);
            il.Emit(OpCodes.Ldc_I4, 63);
            il.Emit(OpCodes.And);
        }

        private void Shift32(int rs2)
        {
            Ld(rs2);
            il.Emit(OpCodes.Conv_I4);
            il.Emit(OpCodes.Ldc_I4, 31);
            il.Emit(OpCodes.And);
        }
    }
}
