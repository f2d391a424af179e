using Emulator.Peripherals.CPU;

namespace Emulator.MemoryModels;

/// <summary>
/// One hart's views under RVWMO (docs/exploration.md): timestamps of <see cref="MemoryHistory"/> that bound
/// how old a value its loads may read, as in Promising-RISC-V (Pulte et al., PLDI 2019). A register's view is
/// the timestamp of the memory value it was computed from (a load's result, carried through ALU operations),
/// so a load whose address depends on an earlier load cannot read a value overwritten before that load's value
/// was written (address dependency). <see cref="ReadFloor"/> bounds every later load: FENCE R,R raises it to
/// <see cref="ReadsDone"/>, FENCE W,R to <see cref="WritesDone"/>, acquire atomics, device accesses, traps and
/// everything else this model does not track precisely raise it to now (read the latest value). Raising any
/// view only takes choices away, so every approximation here errs on the side of ordering.
/// </summary>
internal sealed class HartViews
{
    /// <summary>A load's view not set by the model (device, page-crossing, atomic): now, when the instruction retires.</summary>
    public const ulong Latest = ulong.MaxValue;

    private readonly ulong[] register = new ulong[32];

    // Views flow through CSRs too (csrw sscratch, a0 ... csrr a1, sscratch): one view for all of them.
    private ulong csrView;

    public HartViews(int index)
    {
        Bit = index < 64 ? 1UL << index : 0;
    }

    /// <summary>This hart's bit in <see cref="MemoryHistory"/>'s "seen" sets; 0 (always read the latest) past 64 harts.</summary>
    public ulong Bit { get; }

    /// <summary>No later load may read a value overwritten at or before this timestamp.</summary>
    public ulong ReadFloor { get; set; }

    /// <summary>The newest view any of this hart's loads has read at (for FENCE R,R).</summary>
    public ulong ReadsDone { get; set; }

    /// <summary>The newest timestamp of this hart's stores in memory (for FENCE W,R).</summary>
    public ulong WritesDone { get; set; }

    // The instruction in flight: recorded before it executes, its effect on register views applied after it retires.
    public bool Pending;
    public ulong PendingPc;
    public ulong PendingRetired;
    public bool PendingDecoded;
    public Opcode PendingOp;
    public byte PendingRd;
    public byte PendingRs1;
    public byte PendingRs2;
    public uint PendingRaw;

    /// <summary>The view of the value the instruction in flight loaded, or <see cref="Latest"/>.</summary>
    public ulong LoadView;

    public ulong Register(int index) => register[index];

    public void Clear()
    {
        Array.Clear(register);
        csrView = 0;
        ReadFloor = 0;
        ReadsDone = 0;
        WritesDone = 0;
        Pending = false;
    }

    /// <summary>A trap (the instruction in flight did not retire, or an interrupt): later loads read the latest values.</summary>
    public void Trapped(ulong now)
    {
        // mtval/stval may hold an address computed from a register: the CSRs' view covers everything.
        csrView = now;
        ReadFloor = now;
    }

    /// <summary>An instruction the model could not see (its code was not decoded in place): every register may hold anything.</summary>
    public void Unknown(ulong now)
    {
        Array.Fill(register, now);
        csrView = now;
        ReadFloor = now;
    }

    /// <summary>The effect on views of an instruction that retired.</summary>
    public void Retired(Opcode op, int rd, int rs1, int rs2, uint raw, ulong now)
    {
        ulong view;
        switch (op)
        {
            case Opcode.Lui:
            case Opcode.Auipc:
            case Opcode.Jal:
            case Opcode.Jalr:
                // Control flow orders no load (RVWMO has no control dependency for loads): the link is a constant.
                view = 0;
                break;
            case >= Opcode.Lb and <= Opcode.Lwu:
                view = LoadView == Latest ? now : LoadView;
                ReadsDone = Math.Max(ReadsDone, view);
                break;
            case >= Opcode.Addi and <= Opcode.Srai:
            case >= Opcode.Addiw and <= Opcode.Sraiw:
                view = register[rs1];
                break;
            case >= Opcode.Add and <= Opcode.And:
            case >= Opcode.Addw and <= Opcode.Remuw:
                view = Math.Max(register[rs1], register[rs2]);
                break;
            case >= Opcode.LrW and <= Opcode.AmomaxuD:
                // An atomic reads memory's latest value: a later FENCE R,R orders loads after it.
                view = now;
                ReadsDone = now;
                if ((raw & (1u << 26)) != 0)
                {
                    // .aq: no later load before the atomic.
                    ReadFloor = now;
                }
                break;
            case Opcode.SfenceVma:
                ReadFloor = now;
                return;
            case >= Opcode.Csrrw and <= Opcode.Csrrc:
                csrView = Math.Max(csrView, register[rs1]);
                view = csrView;
                break;
            case >= Opcode.Csrrwi and <= Opcode.Csrrci:
                view = csrView;
                break;
            default:
                // Stores, branches, fences, system instructions: no destination register.
                return;
        }
        if (rd != 0)
        {
            register[rd] = view;
        }
    }
}
