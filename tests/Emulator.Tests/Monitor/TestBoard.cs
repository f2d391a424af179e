using Emulator.Core;
using Emulator.Peripherals.CPU;
using Emulator.Peripherals.Memory;

namespace Emulator.Tests.Monitor;

/// <summary>Hand-built machines for host tests: N harts, 16 MiB of RAM at 0x8000_0000, an optional fake UART.</summary>
public static class TestBoard
{
    public const ulong RamBase = 0x8000_0000;

    /// <summary>`j .`: a hart spinning in place, for runs that must last.</summary>
    public const uint SpinInstruction = 0x0000006F;

    public static Machine Populate(Machine machine, int harts = 1, bool withUart = false)
    {
        var ram = new MappedMemory(16L << 20);
        machine.Register("ram", ram);
        machine.SystemBus.Register(ram, RamBase, 16UL << 20, "ram");
        for (var i = 0; i < harts; i++)
        {
            var hart = new RiscV64("rv64imac_zicsr_zifencei", null, (uint)i, PrivilegedArchitecture.Priv1_11);
            machine.Register($"cpu{i}", hart);
            hart.PC = RamBase;
        }
        if (withUart)
        {
            var uart = new FakeUart();
            machine.Register("uart0", uart);
            machine.SystemBus.Register(uart, 0x1000_0000, 0x100, "uart0");
        }
        return machine;
    }

    public static void WriteProgram(Machine machine, ulong address, params uint[] instructions)
    {
        for (var i = 0; i < instructions.Length; i++)
        {
            machine.SystemBus.WriteDoubleWord(address + (ulong)(4 * i), instructions[i]);
        }
    }
}
