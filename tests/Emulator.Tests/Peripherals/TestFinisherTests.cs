using Emulator.Devicetree;
using Emulator.Loaders;
using Emulator.Peripherals.CPU;
using Emulator.Peripherals.IRQControllers;
using Emulator.Peripherals.Memory;
using Antmicro.Renode.Peripherals.Miscellaneous;
using NUnit.Framework;
using RenodeMachine = Antmicro.Renode.Core.Machine;

namespace Emulator.Tests.Peripherals;

public class TestFinisherTests
{
    private Machine machine = null!;
    private TestFinisher finisher = null!;

    [SetUp]
    public void SetUp()
    {
        machine = new Machine();
        finisher = new TestFinisher(RenodeMachine.For(machine));
    }

    [Test]
    public void PassEndsTheRunWithCodeZero()
    {
        finisher.WriteDoubleWord(0, 0x5555);
        Assert.That(machine.HasExited, Is.True);
        Assert.That(machine.ExitCode, Is.EqualTo(0));
        Assert.That(finisher.Size, Is.EqualTo(0x1000));
    }

    [Test]
    public void FailEndsTheRunWithTheCodeInTheHighHalf()
    {
        finisher.WriteDoubleWord(0, (42u << 16) | 0x3333);
        Assert.That(machine.HasExited, Is.True);
        Assert.That(machine.ExitCode, Is.EqualTo(42));
    }

    [Test]
    public void PassAndFailAreLoggedForLogTesters()
    {
        machine.Register("finisher", finisher);
        var entries = new List<string>();
        machine.Log.EntryLogged += e => entries.Add($"{e.Source}: {e.Message}");
        finisher.WriteDoubleWord(0, (2u << 16) | 0x3333);
        finisher.WriteDoubleWord(0, 0x5555);
        Assert.That(entries, Is.EqualTo(new[]
        {
            "finisher: guest wrote FAIL with code 2 to the test finisher",
            "finisher: guest wrote PASS (code 0) to the test finisher",
        }));
    }

    [Test]
    public void OtherValuesAndOffsetsAreIgnoredWithAWarning()
    {
        var warnings = 0;
        machine.Log.EntryLogged += _ => warnings++;
        finisher.WriteDoubleWord(0, 0x1234);
        finisher.WriteDoubleWord(4, 0x5555);
        Assert.That(machine.HasExited, Is.False);
        Assert.That(warnings, Is.EqualTo(2));
    }

    [Test]
    public void ResetCommandResetsTheMachineAndRestoresTheBootState()
    {
        var ram = new MappedMemory(0x100000);
        machine.Register("ram", ram);
        machine.SystemBus.Register(ram, 0x80000000, 0x100000, "ram");
        var clint = new CoreLevelInterruptor(machine, 10_000_000);
        machine.Register("clint", clint);
        var hart = new RiscV64("rv64imac_zicsr_zifencei", clint);
        machine.Register("cpu0", hart);
        clint.Connections[0].Connect(hart, 3);
        machine.Register("finisher", finisher);
        var image = new ElfImage("test.elf", 0x80000100, new Dictionary<string, ulong>(), 0x80000000, 0x80001000);
        machine.SystemBus.WriteDoubleWord(0x80000100, 0x0000006F); // j . (so the hart stays at the entry)
        var fdt = BootSetup.Apply(machine, image);
        hart.PC = 0x80000abc;
        hart.SetRegister(10, 99);
        clint.WriteDoubleWord(0, 1);

        finisher.WriteDoubleWord(0, 0x7777);
        Assert.That(clint.ReadDoubleWord(0), Is.EqualTo(1u), "the reset happens between slices, not inside the store");
        machine.Run(new RunLimits(1, 1));

        Assert.That(finisher.ResetCount, Is.EqualTo(1));
        Assert.That(machine.HasExited, Is.False);
        Assert.That(clint.ReadDoubleWord(0), Is.EqualTo(0u), "peripherals are back to power-on state");
        Assert.That(hart.PC, Is.EqualTo(0x80000100UL));
        Assert.That(hart.GetRegister(10), Is.EqualTo(0UL));
        Assert.That(hart.GetRegister(11), Is.EqualTo(fdt));
    }
}
