namespace Emulator.Peripherals.CPU;

/// <summary>
/// One instruction decoded once: operands pre-extracted, immediate sign-extended. For CSR instructions
/// Imm is the CSR number and Rs1 the register or 5-bit immediate.
/// </summary>
internal struct DecodedInstruction
{
    public Opcode Op;
    public byte Rd;
    public byte Rs1;
    public byte Rs2;
    public byte Length;
    public uint Raw;
    public long Imm;
}
