using System.Text;
using Emulator.Peripherals.CPU;

namespace Emulator.Gdb;

/// <summary>
/// The `target.xml` GDB reads through qXfer:features:read: the RV64 integer registers and pc (GDB numbers
/// 0..32) and the CSRs this hart implements, numbered as GDB's RISC-V port does (65 + CSR number).
/// </summary>
internal static class GdbTargetDescription
{
    public const int PcRegister = 32;
    public const int FirstCsrRegister = 65;

    private static readonly string[] AbiNames =
    {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    };

    private static readonly (string Name, int Number)[] Csrs =
    {
        ("sstatus", 0x100), ("sie", 0x104), ("stvec", 0x105), ("scounteren", 0x106), ("sscratch", 0x140), ("sepc", 0x141),
        ("scause", 0x142), ("stval", 0x143), ("sip", 0x144), ("satp", 0x180),
        ("mstatus", 0x300), ("misa", 0x301), ("medeleg", 0x302), ("mideleg", 0x303), ("mie", 0x304), ("mtvec", 0x305),
        ("mcounteren", 0x306), ("mscratch", 0x340), ("mepc", 0x341), ("mcause", 0x342), ("mtval", 0x343), ("mip", 0x344),
        ("mcycle", 0xB00), ("minstret", 0xB02), ("mvendorid", 0xF11), ("marchid", 0xF12), ("mimpid", 0xF13), ("mhartid", 0xF14),
    };

    public static string Build(RiscV64 hart)
    {
        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        xml.Append("<architecture>riscv:rv64</architecture>\n<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
        for (var i = 0; i < 32; i++)
        {
            var type = i is 1 ? "code_ptr" : i is 2 or 3 or 4 or 8 ? "data_ptr" : "int";
            xml.Append($"  <reg name=\"{AbiNames[i]}\" bitsize=\"64\" type=\"{type}\" regnum=\"{i}\"/>\n");
        }
        xml.Append($"  <reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"{PcRegister}\"/>\n</feature>\n");
        xml.Append("<feature name=\"org.gnu.gdb.riscv.csr\">\n");
        foreach (var (name, number) in Csrs)
        {
            if (hart.TryReadCsrForDebugger(number, out _))
            {
                xml.Append($"  <reg name=\"{name}\" bitsize=\"64\" type=\"int\" group=\"csr\" regnum=\"{FirstCsrRegister + number}\" save-restore=\"no\"/>\n");
            }
        }
        xml.Append("</feature>\n</target>\n");
        return xml.ToString();
    }
}
