using System.Buffers.Binary;
using Emulator.Gdb;
using Emulator.Tests.Monitor;
using NUnit.Framework;

namespace Emulator.Tests.Gdb;

[TestFixture]
public class GdbServerTests
{
    private Emulation emulation = null!;
    private Machine machine = null!;
    private GdbServer server = null!;
    private GdbTestClient gdb = null!;

    [SetUp]
    public void SetUp()
    {
        emulation = new Emulation();
        machine = TestBoard.Populate(emulation.CreateMachine(), harts: 2);
        emulation.SetGlobalQuantum(10_000);
        server = new GdbServer(emulation, machine, 0) { ResumeOnDetach = false };
        gdb = new GdbTestClient(server.Port);
    }

    [TearDown]
    public void TearDown()
    {
        gdb.Dispose();
        server.Dispose();
        emulation.Dispose();
    }

    private static string Le64(ulong v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        return Convert.ToHexString(b).ToLowerInvariant();
    }

    [Test]
    public void HandshakeThreadsAndTargetDescription()
    {
        Assert.That(gdb.Request("qSupported:multiprocess+;swbreak+;xmlRegisters=i386"), Does.Contain("qXfer:features:read+"));
        Assert.That(gdb.Request("?"), Is.EqualTo("T05thread:1;"));
        Assert.That(gdb.Request("qfThreadInfo"), Is.EqualTo("m1,2"));
        Assert.That(gdb.Request("qsThreadInfo"), Is.EqualTo("l"));
        Assert.That(gdb.Request("Hg2"), Is.EqualTo("OK"));
        Assert.That(gdb.Request("qC"), Is.EqualTo("QC2"));
        Assert.That(gdb.Request("T2"), Is.EqualTo("OK"));
        Assert.That(gdb.Request("T9"), Is.EqualTo("E01"));
        var xml = gdb.Request("qXfer:features:read:target.xml:0,ffff");
        Assert.That(xml, Does.StartWith("l<?xml"));
        Assert.That(xml, Does.Contain("org.gnu.gdb.riscv.cpu"));
        Assert.That(xml, Does.Contain("name=\"mhartid\""));
        Assert.That(gdb.Request("vMustReplyEmpty"), Is.EqualTo(""));
    }

    [Test]
    public void RegistersPerThread()
    {
        machine.Harts[0].SetRegister(10, 0x1234);
        machine.Harts[1].SetRegister(10, 0x5678);
        machine.Harts[1].PC = 0x80000040;
        Assert.That(gdb.Request("Hg1"), Is.EqualTo("OK"));
        var g = gdb.Request("g");
        Assert.That(g.Length, Is.EqualTo(33 * 16));
        Assert.That(g.Substring(10 * 16, 16), Is.EqualTo(Le64(0x1234)));
        Assert.That(gdb.Request("Hg2"), Is.EqualTo("OK"));
        Assert.That(gdb.Request("pa"), Is.EqualTo(Le64(0x5678)));
        Assert.That(gdb.Request("p20"), Is.EqualTo(Le64(0x80000040)));
        // mhartid is CSR 0xF14, GDB register 65 + 0xF14.
        Assert.That(gdb.Request($"p{65 + 0xF14:x}"), Is.EqualTo(Le64(1)));
        Assert.That(gdb.Request($"P5={Le64(0xABCD)}"), Is.EqualTo("OK"));
        Assert.That(machine.Harts[1].GetRegister(5), Is.EqualTo(0xABCDUL));
        Assert.That(gdb.Request($"P20={Le64(0x80000100)}"), Is.EqualTo("OK"));
        Assert.That(machine.Harts[1].PC, Is.EqualTo(0x80000100UL));
    }

    [Test]
    public void MemoryReadWriteAndBinaryWrite()
    {
        machine.SystemBus.WriteDoubleWord(0x80000100, 0xDEADBEEF);
        Assert.That(gdb.Request("m80000100,4"), Is.EqualTo("efbeadde"));
        Assert.That(gdb.Request("M80000200,2:3412"), Is.EqualTo("OK"));
        Assert.That(machine.SystemBus.ReadWord(0x80000200), Is.EqualTo(0x1234));
        // X with an escaped '#' (0x23 sent as '}' 0x03).
        Assert.That(gdb.Request("X80000300,2:}\u0003A"), Is.EqualTo("OK"));
        Assert.That(machine.SystemBus.ReadWord(0x80000300), Is.EqualTo(0x4123));
        Assert.That(gdb.Request("m10,4"), Does.StartWith("E"));
    }

    [Test]
    public void MalformedPacketsGetErrorsAndTheServerLives()
    {
        gdb.SendRaw("$m80000000,4#00");
        Assert.That(gdb.ReadByte(), Is.EqualTo('-'));
        Assert.That(gdb.Request("mzz,4"), Is.EqualTo("E01"));
        Assert.That(gdb.Request("P1"), Is.EqualTo("E01"));
        Assert.That(gdb.Request("Z9,0,0"), Is.EqualTo("E01"));
        Assert.That(gdb.Request("g1234"), Has.Length.EqualTo(33 * 16));
        Assert.That(gdb.Request("Gzz"), Is.EqualTo("E01"));
        Assert.That(gdb.Request("Hx1"), Is.EqualTo("E01"));
        Assert.That(gdb.Request("qUnknownThing"), Is.EqualTo(""));
        Assert.That(gdb.Request("?"), Does.StartWith("T05"));
    }

    [Test]
    public void BreakpointStopsTheHartThatHitsIt()
    {
        // hart 0 spins at 0x80000000; hart 1 starts at 0x80000010 and runs into 0x80000018.
        TestBoard.WriteProgram(machine, 0x80000000, TestBoard.SpinInstruction);
        TestBoard.WriteProgram(machine, 0x80000010, 0x00000013, 0x00000013, 0x00000013, TestBoard.SpinInstruction);
        machine.Harts[1].PC = 0x80000010;
        Assert.That(gdb.Request("Z0,80000018,4"), Is.EqualTo("OK"));
        var stop = gdb.Request("c");
        Assert.That(stop, Does.StartWith("T05"));
        Assert.That(stop, Does.Contain("thread:2;"));
        Assert.That(machine.Harts[1].PC, Is.EqualTo(0x80000018UL));
        Assert.That(emulation.IsStarted, Is.False);
        Assert.That(gdb.Request("z0,80000018,4"), Is.EqualTo("OK"));
        Assert.That(machine.Harts[1].Breakpoints, Is.Empty);
    }

    [Test]
    public void ContinueOfOneThreadKeepsTheOthersStill()
    {
        // GDB steps RISC-V in software: a breakpoint after the instruction and `vCont;c:N` for that thread only.
        TestBoard.WriteProgram(machine, 0x80000000, 0x00000013, 0x00000013, TestBoard.SpinInstruction);
        TestBoard.WriteProgram(machine, 0x80000010, 0x00000013, 0x00000013, 0x00000013, TestBoard.SpinInstruction);
        machine.Harts[1].PC = 0x80000010;
        Assert.That(gdb.Request("Z0,80000004,4"), Is.EqualTo("OK"));
        Assert.That(gdb.Request("Z0,80000018,4"), Is.EqualTo("OK"));
        Assert.That(gdb.Request("vCont;c:2"), Is.EqualTo("T05thread:2;"));
        Assert.That(machine.Harts[0].PC, Is.EqualTo(0x80000000UL));
        Assert.That(machine.Harts[0].IsHalted, Is.False, "held harts are released at the stop");
        Assert.That(gdb.Request("vCont;c"), Is.EqualTo("T05thread:1;"));
        Assert.That(machine.Harts[0].PC, Is.EqualTo(0x80000004UL));
    }

    [Test]
    public void ASoftwareStepOverATrappingInstructionStopsAtTheHandlersFirstInstruction()
    {
        // lw t0, 0(zero): nothing is mapped at 0, a load access fault; the handler at 0x80000100 spins forever.
        TestBoard.WriteProgram(machine, 0x80000000, 0x00002283, 0x00000013);
        TestBoard.WriteProgram(machine, 0x80000100, TestBoard.SpinInstruction);
        Assert.That(machine.Harts[0].TryWriteCsrForDebugger(0x305, 0x80000100), Is.True);
        // gdb-multiarch's stepi: a breakpoint after the instruction, then a continue of that thread only.
        Assert.That(gdb.Request("Z0,80000004,4"), Is.EqualTo("OK"));
        Assert.That(gdb.Request("vCont;c:1"), Is.EqualTo("T05thread:1;"));
        Assert.That(machine.Harts[0].PC, Is.EqualTo(0x80000100UL));
        Assert.That(machine.Harts[0].TryReadCsrForDebugger(0x342, out var mcause) ? mcause : 0, Is.EqualTo(5UL));
        Assert.That(machine.Harts[1].PC, Is.EqualTo(0x80000000UL), "the other hart did not move");
        Assert.That(gdb.Request("z0,80000004,4"), Is.EqualTo("OK"));
    }

    [Test]
    public void StepMovesOnlyTheSelectedThread()
    {
        TestBoard.WriteProgram(machine, 0x80000000, 0x00500093, 0x00108093);
        Assert.That(gdb.Request("vCont?"), Does.Contain("vCont;c;C;s;S"));
        Assert.That(gdb.Request("vCont;s:2"), Is.EqualTo("T05thread:2;"));
        Assert.That(machine.Harts[1].PC, Is.EqualTo(0x80000004UL));
        Assert.That(machine.Harts[0].PC, Is.EqualTo(0x80000000UL));
        Assert.That(gdb.Request("Hc1"), Is.EqualTo("OK"));
        Assert.That(gdb.Request("s"), Is.EqualTo("T05thread:1;"));
        Assert.That(machine.Harts[0].PC, Is.EqualTo(0x80000004UL));
        Assert.That(machine.Harts[0].GetRegister(1), Is.EqualTo(5UL));
    }

    [Test]
    public void CtrlCInterruptsARunningMachine()
    {
        TestBoard.WriteProgram(machine, 0x80000000, TestBoard.SpinInstruction);
        gdb.SendRaw(GdbTestClient.Frame("c"));
        Thread.Sleep(200);
        Assert.That(emulation.IsStarted, Is.True);
        gdb.SendRaw("\u0003");
        Assert.That(gdb.ReadPacket(), Does.StartWith("T02"));
        Assert.That(emulation.IsStarted, Is.False);
        Assert.That(machine.TotalInstructions, Is.GreaterThan(0UL));
    }

    [Test]
    public void WriteWatchpointReportsTheAddress()
    {
        // sw x0, 0x100(x0)-style store through a0: li a0, 0x80000800 is long; preload a0 instead.
        machine.Harts[0].SetRegister(10, 0x80000800);
        machine.Harts[1].PC = 0x80000020;
        TestBoard.WriteProgram(machine, 0x80000000, 0x00000013, 0x00052023, TestBoard.SpinInstruction); // nop; sw zero,0(a0); j .
        TestBoard.WriteProgram(machine, 0x80000020, TestBoard.SpinInstruction);
        Assert.That(gdb.Request("Z2,80000800,4"), Is.EqualTo("OK"));
        var stop = gdb.Request("c");
        Assert.That(stop, Does.Contain("watch:80000800;"));
        Assert.That(stop, Does.Contain("thread:1;"));
        Assert.That(gdb.Request("z2,80000800,4"), Is.EqualTo("OK"));
    }

    [Test]
    public void ReadWatchpointStopsOnALoad()
    {
        machine.Harts[0].SetRegister(10, 0x80000900);
        machine.Harts[1].PC = 0x80000020;
        TestBoard.WriteProgram(machine, 0x80000000, 0x00000013, 0x00052583, TestBoard.SpinInstruction); // nop; lw a1, 0(a0); j .
        TestBoard.WriteProgram(machine, 0x80000020, TestBoard.SpinInstruction);
        Assert.That(gdb.Request("Z3,80000900,4"), Is.EqualTo("OK"));
        Assert.That(gdb.Request("c"), Does.Contain("rwatch:80000900;"));
        Assert.That(gdb.Request("z3,80000900,4"), Is.EqualTo("OK"));
        Assert.That(gdb.Request("Z4,80000900,4"), Is.EqualTo("OK"));
        machine.Harts[0].PC = 0x80000004;
        Assert.That(gdb.Request("c"), Does.Contain("awatch:80000900;"));
    }

    [Test]
    public void DetachRemovesBreakpointsAndASecondClientIsRefused()
    {
        Assert.That(gdb.Request("Z0,80000000,4"), Is.EqualTo("OK"));
        using (var second = new GdbTestClient(server.Port))
        {
            Assert.That(second.ReadPacket(), Is.EqualTo("E01"));
        }
        Assert.That(gdb.Request("D"), Is.EqualTo("OK"));
        Assert.That(SpinUntil(() => !server.HasClient), Is.True);
        Assert.That(machine.Harts[0].Breakpoints, Is.Empty);
        // After a detach the next debugger can connect.
        using var third = new GdbTestClient(server.Port);
        Assert.That(third.Request("qfThreadInfo"), Is.EqualTo("m1,2"));
    }

    [Test]
    public void GuestExitIsReportedAsProcessExit()
    {
        machine.SetHtifToHost(0x80000800);
        foreach (var hart in machine.Harts)
        {
            hart.SetRegister(5, 0x80000800);
            hart.SetRegister(6, 5); // HTIF: (2 << 1) | 1 = exit code 2
        }
        TestBoard.WriteProgram(machine, 0x80000000, 0x0062B023, TestBoard.SpinInstruction); // sd t1, 0(t0); j .
        Assert.That(gdb.Request("c"), Is.EqualTo("W02"));
        Assert.That(machine.ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void KillClosesTheSessionAndLeavesTheMachinePaused()
    {
        server.ResumeOnDetach = true;
        Assert.That(gdb.Request("Z0,80000000,4"), Is.EqualTo("OK"));
        gdb.SendRaw(GdbTestClient.Frame("k"));
        Assert.That(SpinUntil(() => !server.HasClient), Is.True);
        Assert.That(emulation.IsStarted, Is.False);
        Assert.That(machine.Harts[0].Breakpoints, Is.Empty);
    }

    private static bool SpinUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }
            Thread.Sleep(10);
        }
        return false;
    }
}
