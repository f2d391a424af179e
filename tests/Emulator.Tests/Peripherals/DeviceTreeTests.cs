using System.Diagnostics;
using Emulator.Core;
using Emulator.Devicetree;
using Emulator.Loaders;
using Emulator.PlatformDescription;
using Emulator.Tests.PlatformDescription;
using NUnit.Framework;

namespace Emulator.Tests.Peripherals;

public class DeviceTreeTests
{
    private static Machine Board(string file = "board.repl", bool finisher = true)
    {
        var machine = new Machine();
        PlatformLoader.Load(machine, RepositoryPaths.File(file));
        if (finisher)
        {
            PlatformLoader.Load(machine, RepositoryPaths.File("platform/boards/finisher.repl"));
        }
        return machine;
    }

    [Test]
    public void HeaderIsVersion17WithBootHart()
    {
        var fdt = new FdtReader(DeviceTreeBuilder.Build(Board()));
        Assert.That(fdt.Version, Is.EqualTo(17u));
        Assert.That(fdt.LastCompatibleVersion, Is.EqualTo(16u));
        Assert.That(fdt.BootCpu, Is.EqualTo(0u));
        Assert.That(fdt.Root.Cell("#address-cells"), Is.EqualTo(2u));
        Assert.That(fdt.Root.Cell("#size-cells"), Is.EqualTo(2u));
    }

    [Test]
    public void CpusCarryTimebaseAndOneNodePerHart()
    {
        var fdt = new FdtReader(DeviceTreeBuilder.Build(Board()));
        var cpus = fdt.Find("/cpus");
        Assert.That(cpus.Cell("timebase-frequency"), Is.EqualTo(10_000_000u));
        Assert.That(cpus.Children.Select(c => c.Name), Is.EqualTo(new[] { "cpu@0", "cpu@1", "cpu@2", "cpu@3" }));
        var cpu2 = cpus.Child("cpu@2");
        Assert.That(cpu2.Cell("reg"), Is.EqualTo(2u));
        Assert.That(cpu2.String("device_type"), Is.EqualTo("cpu"));
        Assert.That(cpu2.String("compatible"), Is.EqualTo("riscv"));
        Assert.That(cpu2.String("riscv,isa"), Is.EqualTo("rv64imac_zicsr_zifencei"));
        Assert.That(cpu2.String("riscv,isa-base"), Is.EqualTo("rv64i"));
        Assert.That(cpu2.Strings("riscv,isa-extensions"), Is.EqualTo(new[] { "i", "m", "a", "c", "zicsr", "zifencei" }));
        var intc = cpu2.Child("interrupt-controller");
        Assert.That(intc.String("compatible"), Is.EqualTo("riscv,cpu-intc"));
        Assert.That(intc.Properties.ContainsKey("interrupt-controller"));
    }

    [Test]
    public void CommittedBoardDtbIsUpToDate()
    {
        // board.resc loads board.dtb (Renode cannot generate it); `emu dtb board.repl board.dtb` refreshes it.
        var fresh = DeviceTreeBuilder.Build(Board(finisher: false));
        Assert.That(File.ReadAllBytes(RepositoryPaths.File("board.dtb")), Is.EqualTo(fresh), "run: emu dtb board.repl board.dtb");
    }

    [Test]
    public void GeneralPurposeLetterExpands()
    {
        Assert.That(DeviceTreeBuilder.IsaExtensions("gc_zba"), Is.EqualTo(new[] { "i", "m", "a", "f", "d", "zicsr", "zifencei", "c", "zba" }));
    }

    [Test]
    public void MemoryNodeDescribesMainRam()
    {
        var memory = new FdtReader(DeviceTreeBuilder.Build(Board())).Find("/memory@80000000");
        Assert.That(memory.String("device_type"), Is.EqualTo("memory"));
        Assert.That(memory.Cells("reg"), Is.EqualTo(new uint[] { 0, 0x80000000, 0, 0x8000000 }));
    }

    [Test]
    public void InterruptControllersAreWiredToTheHartsAsInTheRepl()
    {
        var fdt = new FdtReader(DeviceTreeBuilder.Build(Board()));
        var phandles = fdt.Find("/cpus").Children.Select(c => c.Child("interrupt-controller").Cell("phandle")).ToArray();
        Assert.That(phandles.Distinct().Count(), Is.EqualTo(4));

        var clint = fdt.Find("/soc/clint@2000000");
        Assert.That(clint.Strings("compatible"), Does.Contain("riscv,clint0"));
        Assert.That(clint.Cells("reg"), Is.EqualTo(new uint[] { 0, 0x2000000, 0, 0x10000 }));
        var expectedClint = phandles.SelectMany(p => new[] { p, 3u, p, 7u }).ToArray();
        Assert.That(clint.Cells("interrupts-extended"), Is.EqualTo(expectedClint));

        var plic = fdt.Find("/soc/plic@c000000");
        Assert.That(plic.Strings("compatible"), Is.EqualTo(new[] { "sifive,plic-1.0.0", "riscv,plic0" }));
        Assert.That(plic.Cell("riscv,ndev"), Is.EqualTo(53u));
        Assert.That(plic.Cell("#interrupt-cells"), Is.EqualTo(1u));
        Assert.That(plic.Properties.ContainsKey("interrupt-controller"));
        var expectedPlic = phandles.SelectMany(p => new[] { p, 11u, p, 9u }).ToArray();
        Assert.That(plic.Cells("interrupts-extended"), Is.EqualTo(expectedPlic));

        var serial = fdt.Find("/soc/serial@10000000");
        Assert.That(serial.String("compatible"), Is.EqualTo("ns16550a"));
        Assert.That(serial.Cells("reg"), Is.EqualTo(new uint[] { 0, 0x10000000, 0, 0x100 }));
        Assert.That(serial.Cell("interrupts"), Is.EqualTo(10u));
        Assert.That(serial.Cell("interrupt-parent"), Is.EqualTo(plic.Cell("phandle")));
        Assert.That(serial.Cell("clock-frequency"), Is.EqualTo(3686400u));
    }

    [Test]
    public void ChosenPointsAtTheUartAndTheFinisherIsDescribed()
    {
        var fdt = new FdtReader(DeviceTreeBuilder.Build(Board()));
        Assert.That(fdt.Find("/chosen").String("stdout-path"), Is.EqualTo("/soc/serial@10000000"));
        Assert.That(fdt.Find("/soc/test@100000").Strings("compatible"), Does.Contain("sifive,test0"));
    }

    [Test]
    public void SixteenHartBoardHasSixteenCpus()
    {
        var fdt = new FdtReader(DeviceTreeBuilder.Build(Board("platform/boards/board-16.repl", finisher: false)));
        Assert.That(fdt.Find("/cpus").Children, Has.Count.EqualTo(16));
        Assert.That(fdt.Find("/soc/plic@c000000").Cells("interrupts-extended"), Has.Length.EqualTo(16 * 2 * 2));
    }

    [Test]
    public void DtcAcceptsTheBlobWhenInstalled()
    {
        var dtc = new[] { "/usr/bin/dtc", "/usr/local/bin/dtc" }.FirstOrDefault(File.Exists);
        if (dtc == null)
        {
            Assert.Ignore("dtc (device-tree-compiler) is not installed");
        }
        var path = Path.Combine(Path.GetTempPath(), $"board-{Environment.ProcessId}.dtb");
        File.WriteAllBytes(path, DeviceTreeBuilder.Build(Board()));
        try
        {
            var start = new ProcessStartInfo(dtc, $"-I dtb -O dts {path}") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.That(process.ExitCode, Is.EqualTo(0), errors);
            Assert.That(errors, Does.Not.Contain("Warning"), errors);
            Assert.That(output, Does.Contain("compatible = \"ns16550a\";"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void BootSetupPlacesTheBlobAtTheTopOfRamAndSetsA0A1OnEveryHart()
    {
        var machine = Board();
        var image = new ElfImage("t.elf", 0x80000000, new Dictionary<string, ulong>(), 0x80000000, 0x80010000);
        var address = BootSetup.Apply(machine, image);
        Assert.That(address, Is.EqualTo(0x80000000UL + 0x8000000 - 0x10000));
        Assert.That(BootSetup.GetFdtAddress(machine), Is.EqualTo(address));
        foreach (var hart in machine.Harts)
        {
            Assert.That(hart.PC, Is.EqualTo(0x80000000UL));
            Assert.That(hart.GetRegister(10), Is.EqualTo((ulong)hart.HartId));
            Assert.That(hart.GetRegister(11), Is.EqualTo(address));
        }
        var blob = new byte[0x10000];
        machine.SystemBus.ReadBytes(address, blob);
        var fdt = new FdtReader(blob);
        Assert.That(fdt.Find("/cpus").Children, Has.Count.EqualTo(4));
    }

    [Test]
    public void BootSetupRefusesAnImageThatReachesTheBlob()
    {
        var machine = Board();
        var image = new ElfImage("big.elf", 0x80000000, new Dictionary<string, ulong>(), 0x80000000, 0x88000000);
        var error = Assert.Throws<EmulationException>(() => BootSetup.Apply(machine, image));
        Assert.That(error!.Message, Does.Contain("big.elf"));
    }

    [Test]
    public void LoadFdtCopiesABlobFileIntoMemory()
    {
        var machine = Board();
        var path = Path.Combine(Path.GetTempPath(), $"load-{Environment.ProcessId}.dtb");
        var blob = DeviceTreeBuilder.Build(machine);
        File.WriteAllBytes(path, blob);
        try
        {
            BootSetup.LoadFdt(machine, path, 0x81000000);
            var copy = new byte[blob.Length];
            machine.SystemBus.ReadBytes(0x81000000, copy);
            Assert.That(copy, Is.EqualTo(blob));
            Assert.Throws<EmulationException>(() => BootSetup.LoadFdt(machine, path, 0x40000000));
            File.WriteAllBytes(path, new byte[64]);
            Assert.Throws<EmulationException>(() => BootSetup.LoadFdt(machine, path, 0x81000000));
            Assert.Throws<EmulationException>(() => BootSetup.LoadFdt(machine, path + ".missing", 0x81000000));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
