using Emulator.Core;
using Emulator.Logging;
using Emulator.Monitor;
using Emulator.Peripherals.CPU;
using NUnit.Framework;
using MonitorShell = Emulator.Monitor.Monitor;

namespace Emulator.Tests.Monitor;

[TestFixture]
public class MonitorCommandTests
{
    private Emulation emulation = null!;
    private MonitorShell monitor = null!;
    private string dir = null!;

    [SetUp]
    public void SetUp()
    {
        emulation = new Emulation();
        monitor = new MonitorShell(emulation);
        dir = Path.Combine(Path.GetTempPath(), "emu-monitor-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
    }

    [TearDown]
    public void TearDown()
    {
        monitor.Dispose();
        emulation.Dispose();
        Directory.Delete(dir, true);
    }

    private Machine CreateMachine(int harts = 1, bool uart = false)
    {
        monitor.Execute("mach create");
        return TestBoard.Populate(emulation.CurrentMachine!, harts, uart);
    }

    [Test]
    public void MachCreateNamesTheMachineAndThePrompt()
    {
        Assert.That(monitor.Prompt, Is.EqualTo("(monitor) "));
        monitor.Execute("mach create \"board\"");
        Assert.That(emulation.CurrentMachine!.Name, Is.EqualTo("board"));
        Assert.That(monitor.Prompt, Is.EqualTo("(board) "));
        monitor.Execute("mach create");
        Assert.That(monitor.Prompt, Is.EqualTo("(machine-1) "));
        monitor.Execute("mach set \"board\"");
        Assert.That(monitor.Prompt, Is.EqualTo("(board) "));
        Assert.That(monitor.Execute("mach"), Does.Contain("* [0] board"));
    }

    [Test]
    public void BusReadsAndWritesPrintHex()
    {
        CreateMachine();
        monitor.Execute("sysbus WriteDoubleWord 0x80000010 0x12345678");
        Assert.That(monitor.Execute("sysbus ReadDoubleWord 0x80000010"), Is.EqualTo("0x12345678"));
        Assert.That(monitor.Execute("sysbus ReadByte 0x80000010"), Is.EqualTo("0x78"));
        Assert.That(monitor.Execute("sysbus ReadWord 0x80000012"), Is.EqualTo("0x1234"));
        monitor.Execute("sysbus WriteQuadWord 0x80000020 0x1122334455667788");
        Assert.That(monitor.Execute("sysbus ReadQuadWord 0x80000020"), Is.EqualTo("0x1122334455667788"));
        monitor.Execute("sysbus WriteByte 0x80000020 0xFF");
        Assert.That(emulation.CurrentMachine!.SystemBus.ReadByte(0x80000020), Is.EqualTo(0xFF));
        var e = Assert.Throws<MonitorException>(() => monitor.Execute("sysbus ReadDoubleWord 0x10"))!;
        Assert.That(e.Message, Does.Contain("nothing is mapped at 0x10"));
    }

    [Test]
    public void CpuPcStepRegistersAndStatistics()
    {
        var machine = CreateMachine();
        // addi x1, x0, 5 ; addi x1, x1, 1
        TestBoard.WriteProgram(machine, 0x8000_0000, 0x00500093, 0x00108093);
        monitor.Execute("cpu0 PC 0x80000000");
        Assert.That(monitor.Execute("cpu0 PC"), Is.EqualTo("0x80000000"));
        Assert.That(monitor.Execute("cpu0 Step"), Is.EqualTo("0x80000004"));
        Assert.That(monitor.Execute("cpu0 GetRegister 1"), Is.EqualTo("0x5"));
        Assert.That(monitor.Execute("cpu0 Step 1"), Is.EqualTo("0x80000008"));
        Assert.That(machine.Harts[0].GetRegister(1), Is.EqualTo(6UL));
        Assert.That(monitor.Execute("cpu0 Statistics"), Does.Contain("Instructions: 2"));
        monitor.Execute("cpu0 PerformanceInMips 25");
        Assert.That(machine.Harts[0].PerformanceInMips, Is.EqualTo(25.0));
        Assert.That(monitor.Execute("sysbus.cpu0 PerformanceInMips"), Is.EqualTo("25"));
    }

    [Test]
    public void BareObjectListsItsMembers()
    {
        CreateMachine();
        var text = monitor.Execute("cpu0");
        Assert.That(text, Does.Contain("The following methods are available:"));
        Assert.That(text, Does.Contain("Step (Int32 count = 1)"));
        Assert.That(text, Does.Contain("UInt64 PC"));
    }

    [Test]
    public void UnknownCommandsAndBadArgumentsSayWhatWasExpected()
    {
        CreateMachine();
        var e = Assert.Throws<MonitorException>(() => monitor.Execute("frobnicate 1"))!;
        Assert.That(e.Message, Does.Contain("unknown command or object 'frobnicate'"));
        e = Assert.Throws<MonitorException>(() => monitor.Execute("sysbus ReadDoubleWord hello"))!;
        Assert.That(e.Message, Does.Contain("expects UInt64, got hello"));
        e = Assert.Throws<MonitorException>(() => monitor.Execute("cpu0 Jump"))!;
        Assert.That(e.Message, Does.Contain("cpu0 has no command or property 'Jump'"));
        e = Assert.Throws<MonitorException>(() => monitor.Execute("sysbus WriteDoubleWord 0x80000000"))!;
        Assert.That(e.Message, Does.Contain("missing argument value"));
        e = Assert.Throws<MonitorException>(() => monitor.Execute("sysbus WriteByte 0x80000000 0x100"))!;
        Assert.That(e.Message, Does.Contain("expects Byte"));
        e = Assert.Throws<MonitorException>(() => monitor.Execute("cpu0 Statistics 5"))!;
        Assert.That(e.Message, Does.Contain("read-only"));
        Assert.That(e.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void VariablesAssignConditionallyAndExpand()
    {
        CreateMachine();
        monitor.Execute("$addr = 0x80000100");
        monitor.Execute("$addr ?= 0x80000200");
        monitor.Execute("$value ?= 0xCAFE");
        monitor.Execute("sysbus WriteDoubleWord $addr $value");
        Assert.That(emulation.CurrentMachine!.SystemBus.ReadDoubleWord(0x80000100), Is.EqualTo(0xCAFEu));
        Assert.That(monitor.Execute("$addr"), Is.EqualTo("0x80000100"));
        var e = Assert.Throws<MonitorException>(() => monitor.Execute("cpu0 PC $nothing"))!;
        Assert.That(e.Message, Does.Contain("variable $nothing is not set"));
    }

    [Test]
    public void ScriptErrorNamesFileAndLineAndStopsTheScript()
    {
        CreateMachine();
        var script = Path.Combine(dir, "bad.resc");
        File.WriteAllText(script, "# comment\n$a = 1\ncpu0 NoSuchThing 3\n$b = 2\n");
        var e = Assert.Throws<MonitorException>(() => monitor.ExecuteScript(script))!;
        Assert.That(e.Message, Does.EndWith("bad.resc:3: cpu0 has no command or property 'NoSuchThing'; type `cpu0` to list them"));
        Assert.That(monitor.GetVariable("a"), Is.EqualTo("1"));
        Assert.That(monitor.GetVariable("b"), Is.Null);
        // The interactive monitor goes on after an error.
        Assert.That(monitor.Execute("$b = 3; $b"), Is.EqualTo("0x3"));
    }

    [Test]
    public void MissingScriptAndUnterminatedBlockAreReported()
    {
        var e = Assert.Throws<MonitorException>(() => monitor.ExecuteScript(Path.Combine(dir, "none.resc")))!;
        Assert.That(e.Message, Does.Contain("none.resc: no such file"));
        var script = Path.Combine(dir, "open.resc");
        File.WriteAllText(script, "macro reset\n\"\"\"\nstart\n");
        e = Assert.Throws<MonitorException>(() => monitor.ExecuteScript(script))!;
        Assert.That(e.Message, Does.Contain("open.resc:1: unterminated \"\"\" block"));
    }

    [Test]
    public void PathsResolveAgainstTheScriptFolderAndOriginIsSet()
    {
        CreateMachine();
        var sub = Path.Combine(dir, "sub");
        Directory.CreateDirectory(sub);
        File.WriteAllBytes(Path.Combine(sub, "data.bin"), new byte[] { 1, 2, 3, 4 });
        File.WriteAllText(Path.Combine(sub, "inner.resc"), "sysbus LoadBinary @data.bin 0x80001000\n$inner = $ORIGIN\n");
        File.WriteAllText(Path.Combine(dir, "outer.resc"), "include @sub/inner.resc\nsysbus LoadBinary $ORIGIN/sub/data.bin 0x80002000\n$outer = $ORIGIN\n");
        monitor.ExecuteScript(Path.Combine(dir, "outer.resc"));
        var bus = emulation.CurrentMachine!.SystemBus;
        Assert.That(bus.ReadDoubleWord(0x80001000), Is.EqualTo(0x04030201u));
        Assert.That(bus.ReadDoubleWord(0x80002000), Is.EqualTo(0x04030201u));
        Assert.That(monitor.GetVariable("inner"), Is.EqualTo(sub));
        Assert.That(monitor.GetVariable("outer"), Is.EqualTo(dir));
    }

    [Test]
    public void MacrosRunAndResetRunsTheResetMacro()
    {
        var machine = CreateMachine();
        var script = Path.Combine(dir, "macro.resc");
        File.WriteAllText(script, "macro reset\n\"\"\"\n    cpu0 PC 0x80000100\n    sysbus WriteDoubleWord 0x80000200 7\n\"\"\"\nrunMacro $reset\n");
        monitor.ExecuteScript(script);
        Assert.That(machine.Harts[0].PC, Is.EqualTo(0x80000100UL));
        machine.Harts[0].PC = 0x80000400;
        machine.SystemBus.WriteDoubleWord(0x80000200, 0);
        monitor.Execute("machine Reset");
        Assert.That(machine.Harts[0].PC, Is.EqualTo(0x80000100UL));
        Assert.That(machine.SystemBus.ReadDoubleWord(0x80000200), Is.EqualTo(7u));
        var e = Assert.Throws<MonitorException>(() => monitor.Execute("runMacro $other"))!;
        Assert.That(e.Message, Does.Contain("no macro named 'other'"));
    }

    [Test]
    public void EmulationSettingsReachTheMachines()
    {
        var machine = CreateMachine();
        monitor.Execute("emulation SetGlobalQuantum \"0.0001\"");
        Assert.That(machine.QuantumNanoseconds, Is.EqualTo(100_000UL));
        monitor.Execute("emulation SetGlobalQuantum \"00:00:00.0005\"");
        Assert.That(machine.QuantumNanoseconds, Is.EqualTo(500_000UL));
        monitor.Execute("emulation SetSeed 42");
        Assert.That(machine.Seed, Is.EqualTo(42));
        monitor.Execute("emulation SetGlobalSerialExecution true");
        Assert.That(monitor.SerialExecution, Is.True);
        monitor.Execute("emulation SetTranslation false");
        Assert.That(machine.TranslationEnabled, Is.False);
        monitor.Execute("emulation SetTranslation true");
        Assert.That(machine.TranslationEnabled, Is.True);
        var e = Assert.Throws<MonitorException>(() => monitor.Execute("emulation SetGlobalQuantum \"soon\""))!;
        Assert.That(e.Message, Does.Contain("expects TimeInterval"));
    }

    [Test]
    public void RunForRunsExactVirtualTime()
    {
        var machine = CreateMachine();
        TestBoard.WriteProgram(machine, 0x8000_0000, TestBoard.SpinInstruction);
        monitor.Execute("emulation RunFor \"00:00:00.002\"");
        Assert.That(machine.Clock.Now, Is.EqualTo(2_000_000UL));
        Assert.That(emulation.IsStarted, Is.False);
    }

    [Test]
    public void StartPauseAndQuit()
    {
        var machine = CreateMachine();
        TestBoard.WriteProgram(machine, 0x8000_0000, TestBoard.SpinInstruction);
        emulation.SetGlobalQuantum(10_000);
        Assert.That(monitor.Execute("start"), Is.EqualTo("Starting emulation..."));
        Assert.That(emulation.IsStarted, Is.True);
        // A property read while running is served between two slices.
        Assert.That(monitor.Execute("cpu0 PC"), Is.EqualTo("0x80000000"));
        var e = Assert.Throws<MonitorException>(() => monitor.Execute("emulation RunFor \"00:00:01\""))!;
        Assert.That(e.Message, Does.Contain("pause"));
        e = Assert.Throws<MonitorException>(() => monitor.Execute("machine LoadPlatformDescriptionFromString \"x: Memory.MappedMemory @ sysbus 0x1000\""))!;
        Assert.That(e.Message, Does.Contain("needs a paused emulation"));
        Assert.That(monitor.Execute("pause"), Is.EqualTo("Pausing emulation..."));
        Assert.That(emulation.IsStarted, Is.False);
        Assert.That(machine.TotalInstructions, Is.GreaterThan(0UL));
        var quit = false;
        monitor.Quit += () => quit = true;
        Assert.That(monitor.Execute("quit"), Is.EqualTo("Renode is quitting"));
        Assert.That(quit && monitor.QuitRequested, Is.True);
    }

    [Test]
    public void HelpAndPeripherals()
    {
        CreateMachine(harts: 2);
        Assert.That(monitor.Execute("help"), Does.StartWith("Available commands:"));
        Assert.That(monitor.Execute("help start"), Does.Contain("Usage: start"));
        var tree = monitor.Execute("peripherals");
        Assert.That(tree, Does.StartWith("Available peripherals:"));
        Assert.That(tree, Does.Contain("ram (MappedMemory)"));
        Assert.That(tree, Does.Contain("<0x80000000, 0x80FFFFFF>"));
        Assert.That(tree, Does.Contain("cpu1 (RiscV64)"));
        Assert.Throws<MonitorException>(() => monitor.Execute("help nothing"));
    }

    [Test]
    public void LogLevelSetsGlobalAndPerObjectLevels()
    {
        var machine = CreateMachine();
        monitor.Execute("logLevel 3");
        Assert.That(machine.Log.Level, Is.EqualTo(LogLevel.Error));
        monitor.Execute("logLevel -1 sysbus.cpu0");
        Assert.That(machine.Log.LevelOf("cpu0"), Is.EqualTo(LogLevel.Noisy));
        monitor.Execute("logLevel Warning");
        Assert.That(machine.Log.Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(monitor.Execute("logLevel"), Does.Contain("Warning"));
        var e = Assert.Throws<MonitorException>(() => monitor.Execute("logLevel 7"))!;
        Assert.That(e.Message, Does.Contain("expected a level -1..3"));
    }

    [Test]
    public void LogPeripheralAccessLogsBusAccesses()
    {
        var machine = CreateMachine(uart: true);
        var entries = new List<LogEntry>();
        machine.Log.EntryLogged += entries.Add;
        monitor.Execute("sysbus LogPeripheralAccess sysbus.uart0 true");
        monitor.Execute("sysbus WriteByte 0x10000000 0x41");
        Assert.That(entries.Select(e => e.ToString()), Has.Some.Contains("uart0: [no cpu] WriteUInt8 to 0x0, value 0x41"));
        monitor.Execute("sysbus LogPeripheralAccess sysbus.uart0 false");
        entries.Clear();
        monitor.Execute("sysbus WriteByte 0x10000000 0x41");
        Assert.That(entries, Is.Empty);
    }

    [Test]
    public void ShowAnalyzerWithoutAHostLogsUartLines()
    {
        var machine = CreateMachine(uart: true);
        var entries = new List<LogEntry>();
        machine.Log.EntryLogged += entries.Add;
        monitor.Execute("showAnalyzer sysbus.uart0");
        ((FakeUart)machine.Harts[0].Machine!.Peripherals.First(p => p.Key == "uart0").Value).Transmit("hello\r\nworld\n");
        Assert.That(entries.Select(e => e.Message), Is.EqualTo(new[] { "hello", "world" }));
        Assert.That(entries.All(e => e.Source == "uart0"), Is.True);
    }

    [Test]
    public void ShowAnalyzerHandsTheUartToTheHost()
    {
        CreateMachine(uart: true);
        string? shown = null;
        monitor.AnalyzerRequested += (_, name, _) => shown = name;
        monitor.Execute("using sysbus");
        monitor.Execute("showAnalyzer uart0");
        Assert.That(shown, Is.EqualTo("uart0"));
        var e = Assert.Throws<MonitorException>(() => monitor.Execute("showAnalyzer cpu0"))!;
        Assert.That(e.Message, Does.Contain("cpu0 is not a UART"));
    }

    [Test]
    public void UartFileBackendWritesOutput()
    {
        var machine = CreateMachine(uart: true);
        var path = Path.Combine(dir, "uart.log");
        monitor.Execute($"uart0 CreateFileBackend @{path}");
        machine.TryGetByName("uart0", out var uart);
        ((FakeUart)uart).Transmit("line one\n");
        monitor.Dispose();
        Assert.That(File.ReadAllText(path), Is.EqualTo("line one\n"));
    }

    [Test]
    public void LoadElfPointsEveryHartAtTheEntry()
    {
        var elf = GuestToolchain.Build(".section .text.start\n.globl _start\n_start: nop\nnop\nmain_loop: j main_loop\n");
        var machine = CreateMachine(harts: 2);
        machine.Harts[0].PC = 0;
        monitor.Execute($"sysbus LoadELF @{elf}");
        Assert.That(machine.Harts.Select(h => h.PC), Is.All.EqualTo(0x80000000UL));
        Assert.That(monitor.Execute("sysbus GetSymbolAddress \"main_loop\""), Is.EqualTo("0x80000004"));
        machine.Harts[1].PC = 0;
        monitor.Execute($"sysbus LoadELF @{elf} cpu0");
        Assert.That(machine.Harts[1].PC, Is.EqualTo(0UL));
        var e = Assert.Throws<MonitorException>(() => monitor.Execute($"sysbus LoadELF @{dir}/missing.elf"))!;
        Assert.That(e.Message, Does.Contain("no such file"));
    }

    [Test]
    public void IncludeRejectsOtherFileTypes()
    {
        File.WriteAllText(Path.Combine(dir, "x.py"), "print(1)");
        var e = Assert.Throws<MonitorException>(() => monitor.Execute($"include @{dir}/x.py"))!;
        Assert.That(e.Message, Does.Contain("cannot include x.py"));
    }

    [Test]
    public void PlatformDescriptionsLoadAndRunTheirInitStatements()
    {
        monitor.Execute("mach create");
        monitor.Execute("machine LoadPlatformDescriptionFromString \"\"\"ram: Memory.MappedMemory @ sysbus 0x80000000\n    size: 0x100000\n\ncpu0: CPU.RiscV64 @ sysbus\n    cpuType: \"rv64imac_zicsr_zifencei\"\n    init:\n        PerformanceInMips 40\n\"\"\"");
        var machine = emulation.CurrentMachine!;
        Assert.That(machine.Harts, Has.Count.EqualTo(1));
        Assert.That(machine.Harts[0].PerformanceInMips, Is.EqualTo(40.0));
        File.WriteAllText(Path.Combine(dir, "uart.repl"), "uart0: UART.NS16550 @ sysbus 0x10000000\n");
        monitor.Execute($"include @{dir}/uart.repl");
        Assert.That(machine.TryGetByName("sysbus.uart0", out var uart) && uart is IUART, Is.True);
    }

    [Test]
    public void PlatformErrorsComeBackInRenodesForm()
    {
        monitor.Execute("mach create");
        var repl = Path.Combine(dir, "bad.repl");
        File.WriteAllText(repl, "cpu0: CPU.NoSuchCpu @ sysbus\n");
        var e = Assert.Throws<MonitorException>(() => monitor.Execute($"machine LoadPlatformDescription @{repl}"))!;
        Assert.That(e.Message, Does.StartWith("Error E"));
        var script = Path.Combine(dir, "load.resc");
        File.WriteAllText(script, "mach create\nmachine LoadPlatformDescription @bad.repl\n");
        e = Assert.Throws<MonitorException>(() => monitor.ExecuteScript(script))!;
        Assert.That(e.Message, Does.Contain("load.resc:2: Error E"));
    }

    [Test]
    public void SetExecuteAndMachineManagement()
    {
        CreateMachine();
        monitor.Execute("set cmd \"sysbus WriteDoubleWord 0x80000040 0x99\"");
        monitor.Execute("execute $cmd");
        Assert.That(emulation.CurrentMachine!.SystemBus.ReadDoubleWord(0x80000040), Is.EqualTo(0x99u));
        monitor.Execute("mach create \"second\"");
        monitor.Execute("mach rem \"second\"");
        Assert.That(emulation.Machines.Select(m => m.Name), Is.EqualTo(new[] { "machine-0" }));
        monitor.Execute("mach clear");
        Assert.That(monitor.Prompt, Is.EqualTo("(monitor) "));
        var e = Assert.Throws<MonitorException>(() => monitor.Execute("cpu0 PC"))!;
        Assert.That(e.Message, Does.Contain("no machine yet"));
        e = Assert.Throws<MonitorException>(() => monitor.Execute("mach set \"nope\""))!;
        Assert.That(e.Message, Does.Contain("no machine named 'nope'"));
    }

    [Test]
    public void LogFileReceivesTheLog()
    {
        var machine = CreateMachine();
        var path = Path.Combine(dir, "emu.log");
        monitor.Execute($"logFile @{path}");
        machine.Log.Warning("test", "written to the file");
        monitor.Dispose();
        Assert.That(File.ReadAllText(path), Does.Contain("[WARNING] test: written to the file"));
    }

    [Test]
    public void SmallQueries()
    {
        var machine = CreateMachine(uart: true);
        Assert.That(monitor.Execute("sysbus WhatIsAt 0x10000004"), Does.StartWith("uart0 <0x10000000"));
        Assert.That(monitor.Execute("sysbus WhatIsAt 0x20000000"), Does.Contain("nothing is mapped"));
        Assert.That(monitor.Execute("machine GetTimeSourceInfo"), Does.Contain("Elapsed virtual time: 00:00:00"));
        monitor.Execute("emulation SetGlobalAdvanceImmediately true");
        Assert.That(emulation.Interactive, Is.False);
        monitor.Execute("emulation SetGlobalAdvanceImmediately false");
        Assert.That(emulation.Interactive, Is.True);
        monitor.Execute("sysbus LogAllPeripheralsAccess true");
        Assert.That(machine.SystemBus.Registrations.Single(r => r.Name == "uart0").LogAccesses, Is.True);
        Assert.That(machine.SystemBus.Registrations.Single(r => r.Name == "ram").LogAccesses, Is.False);
        Assert.That(monitor.Execute("version"), Does.StartWith("emu "));
    }

    [Test]
    public void ResetWhileRunningRunsTheMacroWithoutDelay()
    {
        var machine = CreateMachine();
        TestBoard.WriteProgram(machine, 0x8000_0000, TestBoard.SpinInstruction);
        emulation.SetGlobalQuantum(10_000);
        var script = Path.Combine(dir, "reset.resc");
        File.WriteAllText(script, "macro reset\n\"\"\"\n" + string.Concat(Enumerable.Range(0, 5).Select(i => $"sysbus WriteDoubleWord 0x{0x80001000 + i * 4:X} {i}\n")) + "cpu0 PC 0x80000000\n\"\"\"\n");
        monitor.ExecuteScript(script);
        monitor.Execute("start");
        // Each macro command runs on the emulation thread itself, not posted to it: a post would wait for the
        // very thread that waits, and this call would never return.
        monitor.Execute("machine Reset");
        monitor.Execute("pause");
        Assert.That(machine.SystemBus.ReadDoubleWord(0x80001010), Is.EqualTo(4u));
    }

    [Test]
    public void ACommandWhileASliceIsSlowWaitsForTheSliceToEnd()
    {
        // A loaded host can keep a slice busy for seconds. A command that touches the running machine must
        // still run between slices, never alongside one (it once ran on the monitor's thread after 1 s).
        var machine = CreateMachine();
        var probe = new SlowProbe(TimeSpan.FromMilliseconds(1500));
        machine.Register("probe", probe);
        machine.SystemBus.Register(probe, 0x2000_0000, 0x1000, "probe");
        machine.Harts[0].SetRegister(10, 0x2000_0000);
        TestBoard.WriteProgram(machine, 0x8000_0000, 0x00052283, TestBoard.SpinInstruction); // lw t0, 0(a0); j .
        monitor.Execute("start");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!probe.InRead && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(1);
        }
        Assert.That(probe.InRead, Is.True, "the hart never read the probe");
        monitor.Execute("probe Touch");
        monitor.Execute("pause");
        Assert.That(probe.Touches, Is.EqualTo(1));
        Assert.That(probe.TouchedDuringRead, Is.EqualTo(0), "the command ran while the slice was still running");
    }
}
