using Emulator.Core;
using Emulator.Loaders;
using Emulator.Peripherals.Memory;
using NUnit.Framework;

namespace Emulator.Tests.Loaders;

/// <summary>A bad ELF gets a message that says what is wrong; nothing throws anything else.</summary>
[TestFixture]
public class ElfLoaderTests
{
    private static Machine NewMachine()
    {
        var machine = new Machine();
        var ram = new MappedMemory(1L << 20);
        machine.Register("ram", ram);
        machine.SystemBus.Register(ram, 0x8000_0000, 1UL << 20, "ram");
        return machine;
    }

    private static string WriteTemp(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"elftest-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Test]
    public void MissingFileIsReported()
    {
        var e = Assert.Throws<EmulationException>(() => ElfLoader.Load(NewMachine(), "/nonexistent/x.elf"));
        Assert.That(e!.Message, Does.Contain("no such file"));
    }

    [Test]
    public void NonElfIsReported()
    {
        var e = Assert.Throws<EmulationException>(() => ElfLoader.Load(NewMachine(), WriteTemp(new byte[64])));
        Assert.That(e!.Message, Does.Contain("not an ELF file"));
    }

    [Test]
    public void ThirtyTwoBitElfIsReported()
    {
        var header = new byte[64];
        header[0] = 0x7F; header[1] = (byte)'E'; header[2] = (byte)'L'; header[3] = (byte)'F';
        header[4] = 1; header[5] = 1; header[18] = 243;
        var e = Assert.Throws<EmulationException>(() => ElfLoader.Load(NewMachine(), WriteTemp(header)));
        Assert.That(e!.Message, Does.Contain("32-bit"));
    }

    [Test]
    public void ForeignMachineTypeIsReported()
    {
        var header = new byte[64];
        header[0] = 0x7F; header[1] = (byte)'E'; header[2] = (byte)'L'; header[3] = (byte)'F';
        header[4] = 2; header[5] = 1; header[18] = 62; // x86-64
        var e = Assert.Throws<EmulationException>(() => ElfLoader.Load(NewMachine(), WriteTemp(header)));
        Assert.That(e!.Message, Does.Contain("not RISC-V"));
    }

    [Test]
    public void TruncatedElfIsReportedAsMalformed()
    {
        var header = new byte[24];
        header[0] = 0x7F; header[1] = (byte)'E'; header[2] = (byte)'L'; header[3] = (byte)'F';
        header[4] = 2; header[5] = 1; header[18] = 243;
        var e = Assert.Throws<EmulationException>(() => ElfLoader.Load(NewMachine(), WriteTemp(header)));
        Assert.That(e!.Message, Does.Contain("malformed").Or.Contain("no loadable"));
    }

    [Test]
    public void SegmentOutsideMemoryIsReported()
    {
        GuestToolchain.RequireOrIgnore();
        var elf = GuestToolchain.Build("""
            .section .text.start
            .globl _start
            _start: j _start
            """);
        var machine = new Machine();
        var ram = new MappedMemory(4096);
        machine.Register("ram", ram);
        machine.SystemBus.Register(ram, 0x1000_0000, 4096, "ram");
        var e = Assert.Throws<EmulationException>(() => ElfLoader.Load(machine, elf));
        Assert.That(e!.Message, Does.Contain("outside the machine's memory"));
    }

    [Test]
    public void LoadSetsEveryHartsPcAndKeepsSymbols()
    {
        GuestToolchain.RequireOrIgnore();
        var elf = GuestToolchain.Build("""
            .section .text.start
            .globl _start
            _start: nop
            .globl second
            second: j second
            """);
        var machine = NewMachine();
        machine.Register("cpu0", new Emulator.Peripherals.CPU.RiscV64("rv64imac", null, 0));
        machine.Register("cpu1", new Emulator.Peripherals.CPU.RiscV64("rv64imac", null, 1));
        var image = ElfLoader.Load(machine, elf);
        Assert.That(machine.Harts.Select(h => h.PC), Is.All.EqualTo(0x8000_0000UL));
        Assert.That(image.Symbols["second"], Is.EqualTo(0x8000_0004UL).Or.EqualTo(0x8000_0002UL));
        Assert.That(image.Describe(image.Symbols["second"] + 2), Does.StartWith("second"));
    }

    private const string ProgramWithBss = """
        .section .text.start
        .globl _start
        _start: la t0, zeroed
        j _start
        .section .data
        .globl marked
        marked: .dword 0x1122334455667788
        .section .bss
        .globl zeroed
        zeroed: .skip 256
        """;

    [Test]
    public void BssIsZeroedAndDataAndSymbolsMatchTheFile()
    {
        GuestToolchain.RequireOrIgnore();
        var elf = GuestToolchain.Build(ProgramWithBss);
        var machine = NewMachine();
        var garbage = Enumerable.Repeat((byte)0xA5, 1 << 20).ToArray();
        Assert.That(machine.SystemBus.WriteBytes(0x8000_0000, garbage), Is.True);
        var image = ElfLoader.Load(machine, elf);
        var zeroed = image.Symbols["zeroed"];
        for (ulong a = zeroed; a < zeroed + 256; a += 8)
        {
            Assert.That(machine.SystemBus.TryRead(a, 8, out var v) && v == 0, $"bss at 0x{a:X} not zeroed");
        }
        Assert.That(machine.SystemBus.TryRead(image.Symbols["marked"], 8, out var marked), Is.True);
        Assert.That(marked, Is.EqualTo(0x1122334455667788UL));
        Assert.That(image.Symbols["_start"], Is.EqualTo(image.EntryPoint));
        Assert.That(image.HighestAddress, Is.GreaterThanOrEqualTo(zeroed + 256));
    }

    /// <summary>Every prefix of a real ELF is rejected with a message, or loads; nothing else is thrown.</summary>
    [Test]
    public void EveryTruncationOfARealElfGetsAMessage()
    {
        GuestToolchain.RequireOrIgnore();
        var bytes = File.ReadAllBytes(GuestToolchain.Build(ProgramWithBss));
        var path = WriteTemp(Array.Empty<byte>());
        var rejected = 0;
        for (var length = 0; length < bytes.Length; length += Math.Max(1, length / 16))
        {
            File.WriteAllBytes(path, bytes[..length]);
            try
            {
                ElfLoader.Load(NewMachine(), path);
            }
            catch (EmulationException e)
            {
                Assert.That(e.Message, Does.StartWith(path + ": "));
                rejected++;
            }
        }
        Assert.That(rejected, Is.GreaterThan(10));
    }

    [TestCase(32, "program header table", TestName = "AProgramHeaderTableOutsideTheFileIsNamed")]
    [TestCase(40, "section header table", TestName = "ASectionHeaderTableOutsideTheFileIsNamed")]
    public void ATableOutsideTheFileIsNamed(int headerField, string table)
    {
        GuestToolchain.RequireOrIgnore();
        var bytes = File.ReadAllBytes(GuestToolchain.Build(ProgramWithBss));
        BitConverter.GetBytes((ulong)bytes.Length - 8).CopyTo(bytes, headerField);
        var e = Assert.Throws<EmulationException>(() => ElfLoader.Load(NewMachine(), WriteTemp(bytes)));
        Assert.That(e!.Message, Does.Contain("malformed ELF").And.Contain(table));
    }
}
