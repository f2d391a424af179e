using Emulator.Core;
using Emulator.PlatformDescription;
using Emulator.Peripherals.CPU;
using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>`CPU.RiscV64` as a .repl type: Renode's attribute names, aliases and cpuType checks.</summary>
[TestFixture]
public class RiscV64PlatformTypeTests
{
    [Test]
    public void RenodesPrivilegeArchitectureAliasIsAccepted()
    {
        var machine = new Machine();
        PlatformLoader.LoadFromString(machine, """
            cpu0: CPU.RiscV64 @ sysbus
                cpuType: "rv64imac_zicsr_zifencei"
                hartId: 0
                privilegeArchitecture: PrivilegedArchitecture.Priv1_10
            """);
        Assert.That(machine.Harts.Single().PrivilegedArchitecture, Is.EqualTo(PrivilegedArchitecture.Priv1_10));
    }

    [Test]
    public void UnsupportedExtensionInCpuTypeIsAClearError()
    {
        var e = Assert.Throws<EmulationException>(() => new RiscV64("rv64gc"));
        Assert.That(e!.Message, Does.Contain("not implemented"));
        Assert.Throws<EmulationException>(() => new RiscV64("rv32imac"));
    }
}
