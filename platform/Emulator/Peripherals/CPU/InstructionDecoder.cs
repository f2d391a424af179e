namespace Emulator.Peripherals.CPU;

/// <summary>
/// Decodes RV64IMAC + Zicsr + Zifencei (and privileged) instructions into <see cref="DecodedInstruction"/>.
/// Anything not recognised decodes to Illegal with the raw bits kept for mtval.
/// </summary>
internal static class InstructionDecoder
{
    public static void Decode(uint raw, ref DecodedInstruction d)
    {
        d = default;
        d.Raw = raw;
        if ((raw & 3) != 3)
        {
            d.Raw = raw & 0xFFFF;
            d.Length = 2;
            DecodeCompressed((ushort)raw, ref d);
            return;
        }
        d.Length = 4;
        DecodeFull(raw, ref d);
    }

    private static long ImmI(uint r) => (int)r >> 20;

    private static long ImmS(uint r) => SignExtend(((r >> 20) & 0xFE0) | ((r >> 7) & 0x1F), 12);

    private static long ImmB(uint r) =>
        SignExtend(((r >> 19) & 0x1000) | ((r & 0x80) << 4) | ((r >> 20) & 0x7E0) | ((r >> 7) & 0x1E), 13);

    private static long ImmU(uint r) => (int)(r & 0xFFFFF000);

    private static long ImmJ(uint r) =>
        SignExtend(((r >> 11) & 0x100000) | (r & 0xFF000) | ((r >> 9) & 0x800) | ((r >> 20) & 0x7FE), 21);

    private static long SignExtend(uint value, int bits) => (long)((ulong)value << (64 - bits)) >> (64 - bits);

    private static void DecodeFull(uint r, ref DecodedInstruction d)
    {
        var opcode = r & 0x7F;
        var rd = (byte)((r >> 7) & 0x1F);
        var f3 = (r >> 12) & 7;
        var rs1 = (byte)((r >> 15) & 0x1F);
        var rs2 = (byte)((r >> 20) & 0x1F);
        var f7 = r >> 25;
        d.Rd = rd;
        d.Rs1 = rs1;
        d.Rs2 = rs2;
        var op = Opcode.Illegal;
        switch (opcode)
        {
            case 0x37: op = Opcode.Lui; d.Imm = ImmU(r); break;
            case 0x17: op = Opcode.Auipc; d.Imm = ImmU(r); break;
            case 0x6F: op = Opcode.Jal; d.Imm = ImmJ(r); break;
            case 0x67:
                if (f3 == 0) { op = Opcode.Jalr; d.Imm = ImmI(r); }
                break;
            case 0x63:
                d.Imm = ImmB(r);
                op = f3 switch
                {
                    0 => Opcode.Beq, 1 => Opcode.Bne, 4 => Opcode.Blt, 5 => Opcode.Bge, 6 => Opcode.Bltu, 7 => Opcode.Bgeu,
                    _ => Opcode.Illegal,
                };
                break;
            case 0x03:
                d.Imm = ImmI(r);
                op = f3 switch
                {
                    0 => Opcode.Lb, 1 => Opcode.Lh, 2 => Opcode.Lw, 3 => Opcode.Ld, 4 => Opcode.Lbu, 5 => Opcode.Lhu, 6 => Opcode.Lwu,
                    _ => Opcode.Illegal,
                };
                break;
            case 0x23:
                d.Imm = ImmS(r);
                op = f3 switch { 0 => Opcode.Sb, 1 => Opcode.Sh, 2 => Opcode.Sw, 3 => Opcode.Sd, _ => Opcode.Illegal };
                break;
            case 0x13:
                d.Imm = ImmI(r);
                switch (f3)
                {
                    case 0: op = Opcode.Addi; break;
                    case 2: op = Opcode.Slti; break;
                    case 3: op = Opcode.Sltiu; break;
                    case 4: op = Opcode.Xori; break;
                    case 6: op = Opcode.Ori; break;
                    case 7: op = Opcode.Andi; break;
                    case 1:
                        if ((r >> 26) == 0) { op = Opcode.Slli; d.Imm = (r >> 20) & 0x3F; }
                        break;
                    case 5:
                        if ((r >> 26) == 0) { op = Opcode.Srli; d.Imm = (r >> 20) & 0x3F; }
                        else if ((r >> 26) == 0x10) { op = Opcode.Srai; d.Imm = (r >> 20) & 0x3F; }
                        break;
                }
                break;
            case 0x1B:
                d.Imm = ImmI(r);
                switch (f3)
                {
                    case 0: op = Opcode.Addiw; break;
                    case 1:
                        if (f7 == 0) { op = Opcode.Slliw; d.Imm = rs2; }
                        break;
                    case 5:
                        if (f7 == 0) { op = Opcode.Srliw; d.Imm = rs2; }
                        else if (f7 == 0x20) { op = Opcode.Sraiw; d.Imm = rs2; }
                        break;
                }
                break;
            case 0x33:
                if (f7 == 0)
                {
                    op = f3 switch
                    {
                        0 => Opcode.Add, 1 => Opcode.Sll, 2 => Opcode.Slt, 3 => Opcode.Sltu, 4 => Opcode.Xor, 5 => Opcode.Srl, 6 => Opcode.Or, _ => Opcode.And,
                    };
                }
                else if (f7 == 0x20)
                {
                    op = f3 switch { 0 => Opcode.Sub, 5 => Opcode.Sra, _ => Opcode.Illegal };
                }
                else if (f7 == 1)
                {
                    op = f3 switch
                    {
                        0 => Opcode.Mul, 1 => Opcode.Mulh, 2 => Opcode.Mulhsu, 3 => Opcode.Mulhu, 4 => Opcode.Div, 5 => Opcode.Divu, 6 => Opcode.Rem, _ => Opcode.Remu,
                    };
                }
                break;
            case 0x3B:
                if (f7 == 0)
                {
                    op = f3 switch { 0 => Opcode.Addw, 1 => Opcode.Sllw, 5 => Opcode.Srlw, _ => Opcode.Illegal };
                }
                else if (f7 == 0x20)
                {
                    op = f3 switch { 0 => Opcode.Subw, 5 => Opcode.Sraw, _ => Opcode.Illegal };
                }
                else if (f7 == 1)
                {
                    op = f3 switch { 0 => Opcode.Mulw, 4 => Opcode.Divw, 5 => Opcode.Divuw, 6 => Opcode.Remw, 7 => Opcode.Remuw, _ => Opcode.Illegal };
                }
                break;
            case 0x2F:
                op = DecodeAtomic(r, f3);
                break;
            case 0x0F:
                if (f3 == 0) { op = Opcode.Fence; }
                else if (f3 == 1) { op = Opcode.FenceI; }
                break;
            case 0x73:
                op = DecodeSystem(r, f3, rd, rs1, ref d);
                break;
        }
        d.Op = op;
    }

    private static Opcode DecodeAtomic(uint r, uint f3)
    {
        var f5 = r >> 27;
        var rs2 = (r >> 20) & 0x1F;
        if (f3 == 2)
        {
            return f5 switch
            {
                0x02 when rs2 == 0 => Opcode.LrW,
                0x03 => Opcode.ScW,
                0x01 => Opcode.AmoswapW,
                0x00 => Opcode.AmoaddW,
                0x04 => Opcode.AmoxorW,
                0x0C => Opcode.AmoandW,
                0x08 => Opcode.AmoorW,
                0x10 => Opcode.AmominW,
                0x14 => Opcode.AmomaxW,
                0x18 => Opcode.AmominuW,
                0x1C => Opcode.AmomaxuW,
                _ => Opcode.Illegal,
            };
        }
        if (f3 == 3)
        {
            return f5 switch
            {
                0x02 when rs2 == 0 => Opcode.LrD,
                0x03 => Opcode.ScD,
                0x01 => Opcode.AmoswapD,
                0x00 => Opcode.AmoaddD,
                0x04 => Opcode.AmoxorD,
                0x0C => Opcode.AmoandD,
                0x08 => Opcode.AmoorD,
                0x10 => Opcode.AmominD,
                0x14 => Opcode.AmomaxD,
                0x18 => Opcode.AmominuD,
                0x1C => Opcode.AmomaxuD,
                _ => Opcode.Illegal,
            };
        }
        return Opcode.Illegal;
    }

    private static Opcode DecodeSystem(uint r, uint f3, byte rd, byte rs1, ref DecodedInstruction d)
    {
        if (f3 == 0)
        {
            if (r == 0x00000073) return Opcode.Ecall;
            if (r == 0x00100073) return Opcode.Ebreak;
            if (r == 0x30200073) return Opcode.Mret;
            if (r == 0x10200073) return Opcode.Sret;
            if (r == 0x10500073) return Opcode.Wfi;
            if ((r >> 25) == 0x09 && rd == 0) return Opcode.SfenceVma;
            return Opcode.Illegal;
        }
        d.Imm = r >> 20;
        return f3 switch
        {
            1 => Opcode.Csrrw, 2 => Opcode.Csrrs, 3 => Opcode.Csrrc, 5 => Opcode.Csrrwi, 6 => Opcode.Csrrsi, 7 => Opcode.Csrrci,
            _ => Opcode.Illegal,
        };
    }

    private static byte CReg(int bits) => (byte)(8 + (bits & 7));

    private static void DecodeCompressed(ushort c, ref DecodedInstruction d)
    {
        var quadrant = c & 3;
        var f3 = (c >> 13) & 7;
        var op = Opcode.Illegal;
        int x;
        switch (quadrant)
        {
            case 0:
                switch (f3)
                {
                    case 0: // C.ADDI4SPN
                        x = ((c >> 7) & 0x30) | ((c >> 1) & 0x3C0) | ((c >> 4) & 0x4) | ((c >> 2) & 0x8);
                        if (x != 0) { op = Opcode.Addi; d.Rd = CReg(c >> 2); d.Rs1 = 2; d.Imm = x; }
                        break;
                    case 2: // C.LW
                        op = Opcode.Lw; d.Rd = CReg(c >> 2); d.Rs1 = CReg(c >> 7);
                        d.Imm = ((c >> 7) & 0x38) | ((c >> 4) & 0x4) | ((c << 1) & 0x40);
                        break;
                    case 3: // C.LD
                        op = Opcode.Ld; d.Rd = CReg(c >> 2); d.Rs1 = CReg(c >> 7);
                        d.Imm = ((c >> 7) & 0x38) | ((c << 1) & 0xC0);
                        break;
                    case 6: // C.SW
                        op = Opcode.Sw; d.Rs2 = CReg(c >> 2); d.Rs1 = CReg(c >> 7);
                        d.Imm = ((c >> 7) & 0x38) | ((c >> 4) & 0x4) | ((c << 1) & 0x40);
                        break;
                    case 7: // C.SD
                        op = Opcode.Sd; d.Rs2 = CReg(c >> 2); d.Rs1 = CReg(c >> 7);
                        d.Imm = ((c >> 7) & 0x38) | ((c << 1) & 0xC0);
                        break;
                }
                break;
            case 1:
                {
                    var rd = (byte)((c >> 7) & 0x1F);
                    long imm6 = ((c >> 2) & 0x1F) | (((c >> 12) & 1) != 0 ? -32 : 0);
                    switch (f3)
                    {
                        case 0: // C.ADDI / C.NOP
                            op = Opcode.Addi; d.Rd = rd; d.Rs1 = rd; d.Imm = imm6;
                            break;
                        case 1: // C.ADDIW
                            if (rd != 0) { op = Opcode.Addiw; d.Rd = rd; d.Rs1 = rd; d.Imm = imm6; }
                            break;
                        case 2: // C.LI
                            op = Opcode.Addi; d.Rd = rd; d.Rs1 = 0; d.Imm = imm6;
                            break;
                        case 3:
                            if (rd == 2)
                            {
                                // C.ADDI16SP
                                long v = ((c >> 3) & 0x200) | ((c >> 2) & 0x10) | ((c << 1) & 0x40) | ((c << 4) & 0x180) | ((c << 3) & 0x20);
                                if ((v & 0x200) != 0) v |= ~0x3FFL;
                                if (v != 0) { op = Opcode.Addi; d.Rd = 2; d.Rs1 = 2; d.Imm = v; }
                            }
                            else if (imm6 != 0)
                            {
                                op = Opcode.Lui; d.Rd = rd; d.Imm = imm6 << 12;
                            }
                            break;
                        case 4:
                            {
                                var rs1 = CReg(c >> 7);
                                var rs2 = CReg(c >> 2);
                                d.Rd = rs1; d.Rs1 = rs1; d.Rs2 = rs2;
                                var f2 = (c >> 10) & 3;
                                var shamt = ((c >> 2) & 0x1F) | ((c >> 7) & 0x20);
                                switch (f2)
                                {
                                    case 0: op = Opcode.Srli; d.Imm = shamt; break;
                                    case 1: op = Opcode.Srai; d.Imm = shamt; break;
                                    case 2: op = Opcode.Andi; d.Imm = imm6; break;
                                    case 3:
                                        var sel = ((c >> 5) & 3) | ((c >> 10) & 4);
                                        op = sel switch
                                        {
                                            0 => Opcode.Sub, 1 => Opcode.Xor, 2 => Opcode.Or, 3 => Opcode.And, 4 => Opcode.Subw, 5 => Opcode.Addw,
                                            _ => Opcode.Illegal,
                                        };
                                        break;
                                }
                                break;
                            }
                        case 5: // C.J
                            op = Opcode.Jal; d.Rd = 0; d.Imm = CJumpOffset(c);
                            break;
                        case 6: // C.BEQZ
                        case 7: // C.BNEZ
                            op = f3 == 6 ? Opcode.Beq : Opcode.Bne; d.Rs1 = CReg(c >> 7); d.Rs2 = 0;
                            long b = ((c >> 4) & 0x100) | ((c << 1) & 0xC0) | ((c << 3) & 0x20) | ((c >> 7) & 0x18) | ((c >> 2) & 0x6);
                            if ((b & 0x100) != 0) b |= ~0x1FFL;
                            d.Imm = b;
                            break;
                    }
                    break;
                }
            case 2:
                {
                    var rd = (byte)((c >> 7) & 0x1F);
                    var rs2 = (byte)((c >> 2) & 0x1F);
                    switch (f3)
                    {
                        case 0: // C.SLLI
                            op = Opcode.Slli; d.Rd = rd; d.Rs1 = rd; d.Imm = ((c >> 2) & 0x1F) | ((c >> 7) & 0x20);
                            break;
                        case 2: // C.LWSP
                            if (rd != 0) { op = Opcode.Lw; d.Rd = rd; d.Rs1 = 2; d.Imm = ((c >> 2) & 0x1C) | ((c >> 7) & 0x20) | ((c << 4) & 0xC0); }
                            break;
                        case 3: // C.LDSP
                            if (rd != 0) { op = Opcode.Ld; d.Rd = rd; d.Rs1 = 2; d.Imm = ((c >> 2) & 0x18) | ((c >> 7) & 0x20) | ((c << 4) & 0x1C0); }
                            break;
                        case 4:
                            if (((c >> 12) & 1) == 0)
                            {
                                if (rs2 == 0)
                                {
                                    if (rd != 0) { op = Opcode.Jalr; d.Rd = 0; d.Rs1 = rd; d.Imm = 0; } // C.JR
                                }
                                else
                                {
                                    op = Opcode.Add; d.Rd = rd; d.Rs1 = 0; d.Rs2 = rs2; // C.MV
                                }
                            }
                            else
                            {
                                if (rs2 == 0)
                                {
                                    if (rd == 0) { op = Opcode.Ebreak; } // C.EBREAK
                                    else { op = Opcode.Jalr; d.Rd = 1; d.Rs1 = rd; d.Imm = 0; } // C.JALR
                                }
                                else
                                {
                                    op = Opcode.Add; d.Rd = rd; d.Rs1 = rd; d.Rs2 = rs2; // C.ADD
                                }
                            }
                            break;
                        case 6: // C.SWSP
                            op = Opcode.Sw; d.Rs1 = 2; d.Rs2 = rs2; d.Imm = ((c >> 7) & 0x3C) | ((c >> 1) & 0xC0);
                            break;
                        case 7: // C.SDSP
                            op = Opcode.Sd; d.Rs1 = 2; d.Rs2 = rs2; d.Imm = ((c >> 7) & 0x38) | ((c >> 1) & 0x1C0);
                            break;
                    }
                    break;
                }
        }
        d.Op = op;
    }

    private static long CJumpOffset(ushort c)
    {
        long v = ((c >> 1) & 0x800) | ((c >> 7) & 0x10) | ((c >> 1) & 0x300) | ((c << 2) & 0x400) | ((c >> 1) & 0x40) | ((c << 1) & 0x80) | ((c >> 2) & 0xE) | ((c << 3) & 0x20);
        if ((v & 0x800) != 0) v |= ~0xFFFL;
        return v;
    }
}
