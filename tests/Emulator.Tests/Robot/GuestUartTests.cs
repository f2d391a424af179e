using Emulator.Core;
using Emulator.Loaders;
using Emulator.Peripherals.CPU;
using Emulator.Peripherals.Memory;
using Emulator.Robot;
using NUnit.Framework;

namespace Emulator.Tests.Robot;

/// <summary>
/// Renode's UART keywords against a real RV64 hart running a tiny polling shell: prints a banner and a
/// prompt, echoes input, answers each line with `ok <line>`. Checks the waits on the emulation thread's
/// output and their virtual-time timeouts with real instruction timing.
/// </summary>
[TestFixture]
public sealed class GuestUartTests
{
    private const string Shell = """
        .equ UART, 0x10000000
        .section .text.start
        .globl _start
        _start:
            la a0, banner
            call puts
        prompt:
            la a0, prompt_text
            call puts
            la s1, line
        read:
            li t0, UART
        wait:
            lbu t1, 5(t0)
            andi t1, t1, 1
            beqz t1, wait
            lbu t2, 0(t0)
            li t3, 13
            beq t2, t3, enter
            sb t2, 0(t0)
            sb t2, 0(s1)
            addi s1, s1, 1
            j read
        enter:
            sb zero, 0(s1)
            la a0, crlf
            call puts
            la a0, ok
            call puts
            la a0, line
            call puts
            la a0, crlf
            call puts
            j prompt
        puts:
            li t0, UART
        1:  lbu t1, 0(a0)
            beqz t1, 2f
            sb t1, 0(t0)
            addi a0, a0, 1
            j 1b
        2:  ret
        .section .data
        banner: .asciz "guest shell ready\r\n"
        prompt_text: .asciz "$ "
        crlf: .asciz "\r\n"
        ok: .asciz "ok "
        line: .space 128
        """;

    private RobotSuiteHarness harness = null!;

    [SetUp]
    public void CreateHarness()
    {
        GuestToolchain.RequireOrIgnore();
        harness = new RobotSuiteHarness();
    }

    [TearDown]
    public void DisposeHarness() => harness?.Dispose();

    private static Func<Emulation, IRobotCommandRunner> GuestFactory(string elf) => emulation => new GuestRunner(emulation, elf);

    [Test]
    public void ShellOnARealHart()
    {
        var elf = GuestToolchain.Build(Shell);
        var result = harness.Run("""
            *** Test Cases ***
            Shell
                Execute Command    create
                Create Terminal Tester    sysbus.uart0    timeout=1
                Wait For Line On Uart    guest shell ready
                Wait For Prompt On Uart    $
                Write Line To Uart    lwkt
                ${r}=    Wait For Line On Uart    ok (\\w+)    treatAsRegex=true
                Should Be Equal    ${r.Groups[0]}    lwkt
                Should Be True    ${r.Timestamp} > 0
                Run Keyword And Expect Error    *timeout of 0.01 s (virtual) expired*    Wait For Line On Uart    never printed    timeout=0.01
                PC Should Be Equal    ${0}    cpuName=nothing
            """, o => o.CommandRunnerFactory = GuestFactory(elf));
        var test = result.Tests.Single();
        Assert.That(test.Message, Does.EndWith("This machine has no CPU named: nothing, available are: cpu0"));
    }

    private sealed class GuestRunner : IRobotCommandRunner
    {
        private readonly Emulation emulation;
        private readonly string elf;

        public GuestRunner(Emulation emulation, string elf)
        {
            this.emulation = emulation;
            this.elf = elf;
        }

        public string Execute(string line)
        {
            var machine = emulation.CreateMachine();
            var ram = new MappedMemory(16L << 20);
            machine.Register("ram", ram);
            machine.SystemBus.Register(ram, 0x8000_0000, 16UL << 20, "ram");
            var uart = new PollingUart();
            machine.Register("uart0", uart);
            machine.SystemBus.Register(uart, 0x1000_0000, 0x100, "uart0");
            machine.Register("cpu0", new RiscV64("rv64imac_zicsr_zifencei"));
            ElfLoader.Load(machine, elf);
            return "";
        }

        public string ExecuteScript(string path) => throw new EmulationException("no scripts here");
    }
}
