using System.Diagnostics;
using Emulator.Gdb;
using Emulator.Loaders;
using Emulator.Tests.Monitor;
using NUnit.Framework;

namespace Emulator.Tests.Gdb;

/// <summary>Debian's gdb-multiarch, in batch mode, against the GDB server and a tiny two-hart program.</summary>
[TestFixture]
public class GdbMultiarchEndToEndTests
{
    private const string GdbPath = "/usr/bin/gdb-multiarch";

    private const string Program = """
        .section .text.start
        .globl _start
        _start:
            csrr a0, mhartid
            li a1, 0
        loop:
            call target_fn
            j loop
        .globl target_fn
        target_fn:
            addi a1, a1, 1
            addi a2, a1, 2
            ret
        .section .data
        .align 3
        .globl counter
        counter: .dword 0x1122334455667788
        """;

    [Test]
    public void GdbSeesHartsAsThreadsBreaksStepsAndDetaches()
    {
        if (!File.Exists(GdbPath))
        {
            Assert.Ignore("gdb-multiarch is not installed");
        }
        var elf = GuestToolchain.Build(Program);
        using var emulation = new Emulation();
        var machine = TestBoard.Populate(emulation.CreateMachine(), harts: 3);
        var image = ElfLoader.Load(machine, elf);
        using var server = new GdbServer(emulation, machine, 0) { ResumeOnDetach = false };

        var output = RunGdb(elf, server.Port,
            "info threads",
            "break *target_fn",
            "continue",
            "info registers pc",
            "print/x $a0",
            "x/1gx &counter",
            "stepi",
            "print/x $pc",
            "print $a1",
            "set var $a3 = 0x77",
            "print/x $mhartid",
            "detach");

        Assert.That(output, Does.Contain("Thread 1"));
        Assert.That(output, Does.Contain("Thread 2"));
        Assert.That(output, Does.Contain("Thread 3"));
        Assert.That(output, Does.Match(@"Thread \d hit Breakpoint 1, 0x000000008000000c in target_fn"));
        Assert.That(output, Does.Contain("pc             0x8000000c"));
        Assert.That(output, Does.Contain("0x1122334455667788"));
        Assert.That(output, Does.Contain($"$2 = 0x{image.Symbols["target_fn"] + 2:x}"), "stepi moves past the compressed addi");
        Assert.That(output, Does.Contain("$3 = 1"));
        Assert.That(output, Does.Contain("[Inferior 1 (Remote target) detached]"));
        Assert.That(server.HasClient, Is.False.After(5000, 50));
        Assert.That(machine.Harts.All(h => h.Breakpoints.Count == 0), Is.True);
        // The hart that stopped wrote a3 through GDB's P packet.
        Assert.That(machine.Harts.Any(h => h.GetRegister(13) == 0x77), Is.True);
    }

    // Hart 0 reaches a load from address 0 (nothing is mapped there); its trap handler spins forever.
    private const string TrappingProgram = """
        .section .text.start
        .globl _start
        _start:
            la t0, handler
            csrw mtvec, t0
        .globl faulting
        faulting:
            lw t1, 0(zero)
            j _start
        .align 2
        .globl handler
        handler:
            j handler
        """;

    [Test]
    public void StepiOverATrappingInstructionStopsAtTheHandler()
    {
        if (!File.Exists(GdbPath))
        {
            Assert.Ignore("gdb-multiarch is not installed");
        }
        var elf = GuestToolchain.Build(TrappingProgram);
        using var emulation = new Emulation();
        var machine = TestBoard.Populate(emulation.CreateMachine(), harts: 1);
        var image = ElfLoader.Load(machine, elf);
        using var server = new GdbServer(emulation, machine, 0) { ResumeOnDetach = false };

        var output = RunGdb(elf, server.Port,
            "break *faulting",
            "continue",
            "stepi",
            "print/x $pc",
            "print/x $mcause",
            "detach");

        Assert.That(output, Does.Not.Contain("Cannot execute this command while the target is running"));
        Assert.That(output, Does.Contain($"$1 = 0x{image.Symbols["handler"]:x}"), "stepi stops at the handler's first instruction");
        Assert.That(output, Does.Contain("$2 = 0x5"), "a load access fault");
    }

    private static string RunGdb(string elf, int port, params string[] commands)
    {
        var psi = new ProcessStartInfo(GdbPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-nx", "-batch", "-ex", "set pagination off", "-ex", "set confirm off", "-ex", $"target remote 127.0.0.1:{port}" })
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var c in commands)
        {
            psi.ArgumentList.Add("-ex");
            psi.ArgumentList.Add(c);
        }
        psi.ArgumentList.Add(elf);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            Assert.Fail("gdb-multiarch did not finish within 60 s");
        }
        var text = stdout.Result + stderr.Result;
        TestContext.Out.WriteLine(text);
        return text;
    }
}
