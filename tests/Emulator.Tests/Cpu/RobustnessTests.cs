using Emulator.Peripherals.CPU;
using Emulator.Peripherals.Memory;
using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>Whatever the guest executes, the host never throws: bad code becomes RISC-V traps.</summary>
[TestFixture]
public class RobustnessTests
{
    [Test]
    public void RandomInstructionWordsNeverThrowOnTheHost()
    {
        var random = new Random(1234);
        for (var round = 0; round < 20; round++)
        {
            var machine = new Machine();
            var ram = new MappedMemory(1L << 20);
            machine.Register("ram", ram);
            machine.SystemBus.Register(ram, 0x8000_0000, 1UL << 20, "ram");
            var hart = new RiscV64("rv64imac_zicsr_zifencei", null, 0, PrivilegedArchitecture.Priv1_11, allowUnalignedAccesses: round % 2 == 0);
            machine.Register("cpu0", hart);
            random.NextBytes(ram.Span.Slice(0, 64 * 1024));
            hart.PC = 0x8000_0000;
            // mtvec points into the random code too, so traps land in more random code.
            for (var i = 1; i < 32; i++)
            {
                hart.SetRegister(i, (ulong)random.NextInt64());
            }
            machine.Log.SetLevel(Logging.LogLevel.Error);
            Assert.DoesNotThrow(() => machine.Run(new RunLimits(200_000)));
            Assert.That(hart.Statistics.Traps, Is.GreaterThan(0UL), "random code traps");
        }
    }

    [Test]
    public void DecoderAcceptsEveryCompressedHalfword()
    {
        // Every 16-bit pattern decodes to something (an operation or Illegal) without throwing.
        var machine = new Machine();
        var ram = new MappedMemory(1L << 20);
        machine.Register("ram", ram);
        machine.SystemBus.Register(ram, 0x8000_0000, 1UL << 20, "ram");
        var hart = new RiscV64("rv64imac_zicsr_zifencei");
        machine.Register("cpu0", hart);
        machine.Log.SetLevel(Logging.LogLevel.Error);
        for (var word = 0; word < 0x10000; word += 4)
        {
            for (var k = 0; k < 4; k++)
            {
                var v = (ushort)(word + k);
                if ((v & 3) == 3)
                {
                    v &= 0xFFFC;
                }
                ram.WriteWord((word + k) * 2 % (1 << 19), v);
            }
        }
        hart.PC = 0x8000_0000;
        Assert.DoesNotThrow(() => machine.Run(new RunLimits(300_000)));
    }
}
