using Emulator.Core;
using Emulator.Peripherals.CPU;
using Emulator.Peripherals.IRQControllers;
using Emulator.Peripherals.Memory;
using Antmicro.Renode.Peripherals.Miscellaneous;
using Emulator.Peripherals.UART;
using Emulator.PlatformDescription;
using NUnit.Framework;

namespace Emulator.Tests.PlatformDescription;

public class BoardFileTests
{
    [Test]
    public void BoardReplBuildsTheFourHartBoard()
    {
        var machine = new Machine();
        PlatformLoader.Load(machine, RepositoryPaths.File("board.repl"));

        Assert.That(machine.Harts.Select(h => h.HartId), Is.EqualTo(new uint[] { 0, 1, 2, 3 }));
        Assert.That(machine.Harts.Select(h => machine.GetName(h)), Is.EqualTo(new[] { "cpu0", "cpu1", "cpu2", "cpu3" }));
        Assert.That(machine.TryGetByName("clint", out var clint), Is.True);
        Assert.That(clint, Is.InstanceOf<CoreLevelInterruptor>());
        Assert.That(machine.Harts.All(h => ReferenceEquals(h.TimeProvider, clint)), Is.True);
        Assert.That(machine.Harts.All(h => h.CpuType == "rv64imac_zicsr_zifencei" && h.PrivilegedArchitecture == PrivilegedArchitecture.Priv1_11));

        var bus = machine.SystemBus;
        Assert.That(bus.FindRegistration(0x2000000)!.Peripheral, Is.SameAs(clint));
        Assert.That(bus.FindRegistration(0x200FFFF)!.Peripheral, Is.SameAs(clint));
        Assert.That(bus.FindRegistration(0x0C000000)!.Peripheral, Is.InstanceOf<PlatformLevelInterruptController>());
        Assert.That(bus.FindRegistration(0x10000000)!.Peripheral, Is.InstanceOf<NS16550>());
        Assert.That(bus.Ram, Is.InstanceOf<MappedMemory>());
        Assert.That(bus.RamBase, Is.EqualTo(0x80000000UL));
        Assert.That(bus.RamSize, Is.EqualTo(0x8000000UL));

        var c = (CoreLevelInterruptor)clint;
        Assert.That(c.Frequency, Is.EqualTo(10_000_000UL));
        Assert.That(c.Connections[5].Endpoints.Single(), Is.EqualTo(new GpioEndpoint(machine.Harts[2], 7)));
        Assert.That(c.Connections[4].Endpoints.Single(), Is.EqualTo(new GpioEndpoint(machine.Harts[2], 3)));
        machine.TryGetByName("plic", out var plicPeripheral);
        var plic = (PlatformLevelInterruptController)plicPeripheral;
        Assert.That(plic.NumberOfSources, Is.EqualTo(53));
        Assert.That(plic.NumberOfContexts, Is.EqualTo(8));
        Assert.That(plic.Connections[6].Endpoints.Single(), Is.EqualTo(new GpioEndpoint(machine.Harts[3], 11)));
        Assert.That(plic.Connections[7].Endpoints.Single(), Is.EqualTo(new GpioEndpoint(machine.Harts[3], 9)));
        machine.TryGetByName("uart0", out var uart);
        Assert.That(((NS16550)uart).IRQ.Endpoints.Single(), Is.EqualTo(new GpioEndpoint(plic, 10)));
    }

    [Test]
    public void FinisherOverlayAddsTheFinisher()
    {
        var machine = new Machine();
        PlatformLoader.Load(machine, RepositoryPaths.File("board.repl"));
        PlatformLoader.Load(machine, RepositoryPaths.File("platform/boards/finisher.repl"));
        Assert.That(machine.SystemBus.FindRegistration(0x100000)!.Peripheral, Is.InstanceOf<TestFinisher>());
        Assert.That(machine.SystemBus.FindRegistration(0x100000)!.Size, Is.EqualTo(0x1000UL));
    }

    [TestCase("platform/boards/board-1.repl", 1)]
    [TestCase("platform/boards/board-2.repl", 2)]
    [TestCase("platform/boards/board-4.repl", 4)]
    [TestCase("platform/boards/board-8.repl", 8)]
    [TestCase("platform/boards/board-16.repl", 16)]
    public void EveryBoardSizeLoads(string file, int harts)
    {
        var machine = new Machine();
        PlatformLoader.Load(machine, RepositoryPaths.File(file));
        Assert.That(machine.Harts, Has.Count.EqualTo(harts));
        machine.TryGetByName("plic", out var plic);
        machine.TryGetByName("clint", out var clint);
        Assert.That(((PlatformLevelInterruptController)plic).NumberOfContexts, Is.EqualTo(2 * harts));
        Assert.That(((CoreLevelInterruptor)clint).NumberOfTargets, Is.EqualTo(harts));
        var last = machine.Harts[^1];
        Assert.That(((PlatformLevelInterruptController)plic).Connections[2 * harts - 2].Endpoints.Single(), Is.EqualTo(new GpioEndpoint(last, 11)));
        Assert.That(((CoreLevelInterruptor)clint).Connections[2 * harts - 1].Endpoints.Single(), Is.EqualTo(new GpioEndpoint(last, 7)));
    }

    [Test]
    public void FinisherOverlayTextMatchesTheFile()
    {
        var fromText = new Machine();
        PlatformLoader.LoadFromString(fromText, StandardOverlays.TestFinisher);
        var fileLines = File.ReadAllLines(RepositoryPaths.File(StandardOverlays.TestFinisherPath)).Where(l => l.Length > 0 && !l.StartsWith("//"));
        Assert.That(fileLines, Is.EqualTo(new[] { StandardOverlays.TestFinisher.TrimEnd('\n') }));
        Assert.That(fromText.TryGetByName(StandardOverlays.TestFinisherName, out var finisher), Is.True);
        Assert.That(fromText.SystemBus.FindRegistration(StandardOverlays.TestFinisherAddress)!.Peripheral, Is.SameAs(finisher));
    }
}
