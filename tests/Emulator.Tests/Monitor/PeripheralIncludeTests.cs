using Antmicro.Renode.Peripherals.Miscellaneous;
using Emulator.Core;
using Emulator.PluginCompiler;
using Emulator.Tests.PlatformDescription;
using NUnit.Framework;
using MonitorShell = Emulator.Monitor.Monitor;

namespace Emulator.Tests.Monitor;

/// <summary>
/// `include @file.cs`: a peripheral written against Renode's API (tests/plugins/Doorbell.cs: registers, an IRQ
/// line) is compiled at run time, placed by a .repl overlay and driven by a guest program; compile errors name
/// file:line:col; and the test finisher's source compiles as the C# 9 Renode uses, with and without EMU_HOST.
/// </summary>
[TestFixture]
public class PeripheralIncludeTests
{
    private const string DoorbellGuest = """
        .section .text.start
        .globl _start
        _start:
            la t0, trap
            csrw mtvec, t0
            li s0, 0x10001000
            li s1, 0x0C000000
            li s2, 0x100000
            li s3, 0
            # Data is a plain read/write register.
            li t0, 40
            sw t0, 0(s0)
            lw t1, 0(s0)
            li a0, 1
            bne t0, t1, fail
            # PLIC source 7 -> context 0 (hart 0, M-mode): priority 1, enabled, threshold 0.
            li t0, 1
            sw t0, 28(s1)
            li t1, 0x2000
            add t1, s1, t1
            li t0, 0x80
            sw t0, 0(t1)
            li t1, 0x200000
            add t1, s1, t1
            sw zero, 0(t1)
            # Doorbell interrupt enable, then MEIE and MIE.
            li t0, 1
            sw t0, 4(s0)
            li t0, 0x800
            csrs mie, t0
            csrsi mstatus, 8
            # Ring with 2: Data becomes 42 and the IRQ line rises.
            li t0, 2
            sw t0, 12(s0)
        wait:
            beqz s3, wait
            lw t0, 0(s0)
            li t1, 42
            li a0, 2
            bne t0, t1, fail
            lw t0, 8(s0)
            li a0, 3
            bnez t0, fail
            li t0, 0x5555
            sw t0, 0(s2)
        1:  j 1b
        fail:
            slli a0, a0, 16
            li t0, 0x3333
            or a0, a0, t0
            sw a0, 0(s2)
        2:  j 2b

        .align 4
        trap:
            csrr t5, mcause
            li t6, 0x800000000000000b
            li a0, 4
            bne t5, t6, fail
            li t6, 0x0C200004
            lw t5, 0(t6)
            li a0, 5
            li t4, 7
            bne t5, t4, fail
            # Clear the doorbell (write 1 to clear), then complete the claim.
            li t4, 1
            sw t4, 8(s0)
            sw t5, 0(t6)
            addi s3, s3, 1
            mret
        """;

    private string dir = null!;

    [SetUp]
    public void SetUp()
    {
        dir = Path.Combine(Path.GetTempPath(), "emu-include-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(dir, true);

    [Test]
    public void IncludedRenodePeripheralIsWiredByAnOverlayAndDrivenByTheGuest()
    {
        var elf = GuestToolchain.Build(DoorbellGuest);
        using var emulation = new Emulation();
        using var monitor = new MonitorShell(emulation);
        monitor.Execute("mach create");
        monitor.Execute($"machine LoadPlatformDescription @{RepositoryPaths.File("platform/boards/board-1.repl")}");
        monitor.Execute($"include @{RepositoryPaths.File("tests/plugins/Doorbell.cs")}");
        monitor.Execute($"machine LoadPlatformDescription @{RepositoryPaths.File("tests/plugins/doorbell.repl")}");
        monitor.Execute($"machine LoadPlatformDescription @{RepositoryPaths.File("platform/boards/finisher.repl")}");
        monitor.Execute($"sysbus LoadELF @{elf}");
        var machine = emulation.CurrentMachine!;
        var log = new List<string>();
        machine.Log.EntryLogged += e => log.Add($"{e.Source}: {e.Message}");

        var reason = machine.Run(new RunLimits(MaxInstructions: 1_000_000, MaxVirtualNanoseconds: 100_000_000));

        Assert.That(reason, Is.EqualTo(StopReason.GuestExit), machine.StopMessage);
        Assert.That(machine.ExitCode, Is.EqualTo(0), "the guest's check number that failed");
        Assert.That(log, Does.Contain("doorbell: rung with 2, data is now 42"));
        machine.TryGetByName("doorbell", out var doorbell);
        Assert.That(doorbell.GetType().FullName, Is.EqualTo("Antmicro.Renode.Peripherals.Miscellaneous.Doorbell"));
        Assert.That(doorbell.GetType().Assembly.Location, Is.Empty, "compiled at run time, not built in");
    }

    [Test]
    public void CompileErrorsNameFileLineAndColumn()
    {
        var source = Path.Combine(dir, "Broken.cs");
        File.WriteAllText(source, "namespace Antmicro.Renode.Peripherals.Miscellaneous\n{\n    public class Broken { int x = y; }\n}\n");
        using var emulation = new Emulation();
        using var monitor = new MonitorShell(emulation);
        var error = Assert.Catch<EmulationException>(() => monitor.Execute($"include @{source}"))!;
        Assert.That(error.Message, Does.Contain($"{source}:3:35: error CS0103: The name 'y' does not exist in the current context"));
    }

    [Test]
    public void CSharp10IsRejectedAsRenodeRejectsIt()
    {
        var source = Path.Combine(dir, "FileScoped.cs");
        File.WriteAllText(source, "namespace Antmicro.Renode.Peripherals.Miscellaneous;\npublic class FileScoped { }\n");
        var error = Assert.Throws<EmulationException>(() => new CSharpPeripheralCompiler().Include(source))!;
        Assert.That(error.Message, Does.Contain($"{source}:1:1: error CS8773"), "file-scoped namespaces need C# 10; Renode compiles C# 9");
    }

    [Test]
    public void TheFinisherSourceIncludedAsIsIsTheBuiltInType()
    {
        var machine = new Machine();
        new CSharpPeripheralCompiler().Include(RepositoryPaths.File("peripherals/Miscellaneous/TestFinisher.cs"));
        Emulator.PlatformDescription.PlatformLoader.Load(machine, RepositoryPaths.File("platform/boards/finisher.repl"));
        Assert.That(machine.SystemBus.FindRegistration(0x100000)!.Peripheral.GetType(), Is.EqualTo(typeof(TestFinisher)));
    }

    [TestCase("peripherals/Miscellaneous/TestFinisher.cs", true)]
    [TestCase("peripherals/Miscellaneous/TestFinisher.cs", false)]
    [TestCase("tests/plugins/Doorbell.cs", false)]
    public void PluginSourcesCompileAsCSharp9AgainstTheRenodeApiAlone(string file, bool emulatorHost)
    {
        // Without EMU_HOST this is the code Renode compiles: it must build and name nothing of this emulator.
        var bytes = File.ReadAllBytes(RepositoryPaths.File(file));
        Assert.That(RoslynCompilation.Emit(file, bytes, "check", emulatorHost), Is.Not.Empty);
        if (!emulatorHost)
        {
            var tokens = RoslynCompilation.Parse(file, bytes, emulatorHost: false).GetRoot().DescendantTokens().Select(t => t.Text);
            Assert.That(tokens, Has.None.EqualTo("Emulator"), "outside #if EMU_HOST a plugin uses Renode's API only");
        }
    }
}
