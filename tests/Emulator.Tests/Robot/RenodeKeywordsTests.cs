using System.Diagnostics;
using Emulator.Robot;
using NUnit.Framework;

namespace Emulator.Tests.Robot;

/// <summary>Renode's keywords against a machine whose UART runs a scripted shell (<see cref="FakeShellUart"/>).</summary>
[TestFixture]
public sealed class RenodeKeywordsTests
{
    private const string Boot = """
        *** Keywords ***
        Boot
            Execute Command    mach create
            Create Terminal Tester    sysbus.uart0
            Start Emulation
            Wait For Prompt On Uart    lwkt>

        """;

    private RobotSuiteHarness harness = null!;

    [SetUp]
    public void CreateHarness() => harness = new RobotSuiteHarness();

    [TearDown]
    public void DisposeHarness() => harness.Dispose();

    private RobotTestResult RunOne(string testCases, Action<RobotRunOptions>? configure = null)
    {
        var result = harness.Run(Boot + testCases, configure);
        Assert.That(result.Error, Is.Null);
        return result.Tests.Single();
    }

    [Test]
    public void BootRunTestsAndMatchRegexGroups()
    {
        var test = RunOne("""
            *** Test Cases ***
            All Tests Pass
                Boot
                Write Line To Uart    test all
                ${r}=    Wait For Line On Uart    TESTS: (\\d+) passed, (\\d+) failed    treatAsRegex=true
                Should Be Equal    ${r.Groups[0]}    2
                Should Be Equal    ${r.Groups[1]}    0
                Should Be Equal    ${r}[Line]    TESTS: 2 passed, 0 failed
                Should Be True    ${r.Timestamp} > 0
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
        Assert.That(harness.Commands, Does.Contain("mach create"));
    }

    [Test]
    public void WriteLineToUartSendsTextWithCarriageReturnAndWaitsForEcho()
    {
        var test = RunOne("""
            *** Test Cases ***
            Echo
                Boot
                Write Line To Uart    hello
                ${r}=    Wait For Next Line On Uart
                Should Be Equal    ${r.Line}    world
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
    }

    [Test]
    public void WaitTimeoutIsVirtualTime()
    {
        var clock = Stopwatch.StartNew();
        var test = RunOne("""
            *** Test Cases ***
            Never Printed
                Boot
                Wait For Line On Uart    kernel panic    timeout=30
            """);
        // 30 virtual seconds of an idle guest pass in far less host time.
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Fail));
        Assert.That(test.Message, Does.Contain("suite.robot:10: Terminal tester failed: line containing 'kernel panic' not found on UART (timeout of 30 s (virtual) expired)."));
        Assert.That(test.UartTail, Does.Contain("LWKT booting"));
    }

    [Test]
    public void PromptMatchesAnUnfinishedLineButLinesDoNot()
    {
        var test = RunOne("""
            *** Test Cases ***
            Prompt
                Execute Command    mach create
                Create Terminal Tester    sysbus.uart0
                Run Keyword And Expect Error    *not found on UART*    Wait For Line On Uart    lwkt>    timeout=1
                Wait For Line On Uart    lwkt>    timeout=1    includeUnfinishedLine=true
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
    }

    [Test]
    public void WriteLineFailsWhenTheGuestDoesNotEcho()
    {
        var test = RunOne("""
            *** Test Cases ***
            No Echo
                Execute Command    mach create
                Create Terminal Tester    sysbus.uart0    timeout=1
                Execute Command    quiet
                Wait For Prompt On Uart    lwkt>
                Run Keyword And Expect Error    *echo of 'hello' not found on UART*    Write Line To Uart    hello
                Write Line To Uart    test all    waitForEcho=false
                Wait For Line On Uart    TESTS:
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
    }

    [Test]
    public void ShouldNotBeOnUart()
    {
        var test = RunOne("""
            *** Test Cases ***
            Absent And Present
                Boot
                Should Not Be On Uart    panic    timeout=2
                Write Line To Uart    test all
                Run Keyword And Expect Error    Terminal tester failed!\n\nUnexpected entry has been found on UART#:\nTESTS*    Should Not Be On Uart    TESTS:    timeout=2
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
    }

    [Test]
    public void MatchedLinesAreConsumed()
    {
        var test = RunOne("""
            *** Test Cases ***
            Consumed
                Boot
                Write Line To Uart    test all
                Wait For Line On Uart    TEST ipiq_ring: PASS
                Run Keyword And Expect Error    *not found*    Wait For Line On Uart    TEST token_local    timeout=1
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
    }

    [Test]
    public void ExecuteCommandReturnsOutputAndReportsMonitorErrors()
    {
        var test = RunOne("""
            *** Test Cases ***
            Commands
                ${out}=    Execute Command    echo 42
                Should Be Equal    ${out}    42
                ${out}=    Execute Command    echo    a    b
                Should Be Equal    ${out}    a b
                Run Keyword And Expect Error    Could not execute command 'fail now': There was an error*    Execute Command    fail now
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
        Assert.That(harness.Commands, Does.Contain("echo a b"));
    }

    [Test]
    public void TesterErrorsWithoutMachineOrTester()
    {
        var test = RunOne("""
            *** Test Cases ***
            Errors
                Run Keyword And Expect Error    There is no machine in the emulation.    Create Terminal Tester    sysbus.uart0
                Execute Command    mach create
                Run Keyword And Expect Error    *not found or of wrong type: sysbus.uart7    Create Terminal Tester    sysbus.uart7
                Run Keyword And Expect Error    *Create Terminal Tester*    Wait For Line On Uart    x
                ${a}=    Create Terminal Tester    sysbus.uart0
                ${b}=    Create Terminal Tester    uart0
                Should Be Equal    ${a}    ${b}
                Run Keyword And Expect Error    Terminal tester for given ID=5 was not found*    Wait For Line On Uart    x    testerId=5
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
    }

    [Test]
    public void ProvidesAndRequiresReplayTheBoot()
    {
        var result = harness.Run(Boot + """
            *** Test Cases ***
            Booted
                Boot
                Provides    booted
            Uses Booted
                Requires    booted
                Write Line To Uart    test all
                Wait For Line On Uart    TESTS: 2 passed
            Unknown State
                Run Keyword And Expect Error    Required state nothing not found.    Requires    nothing
            """);
        Assert.That(result.Tests.Select(t => t.Status), Is.All.EqualTo(RobotTestStatus.Pass), string.Join("\n", result.Tests.Select(t => t.Message)));
        Assert.That(harness.Commands.Count(c => c == "mach create"), Is.EqualTo(2));
    }

    [Test]
    public void TestSetupResetsTheEmulationBetweenTests()
    {
        var result = harness.Run(Boot + """
            *** Test Cases ***
            First
                Boot
            Second
                Run Keyword And Expect Error    There is no machine in the emulation.    Create Terminal Tester    sysbus.uart0
            """);
        Assert.That(result.Tests.Select(t => t.Status), Is.All.EqualTo(RobotTestStatus.Pass), string.Join("\n", result.Tests.Select(t => t.Message)));
    }

    [Test]
    public void LogTesterWaitsForEntries()
    {
        var test = RunOne("""
            *** Test Cases ***
            Log
                Boot
                Create Log Tester    1
                Execute Command    log hart 1 online
                ${e}=    Wait For Log Entry    hart 1 online
                Should Be Equal    ${e}    uart0: hart 1 online
                Should Not Be In Log    panic    timeout=0.5
                Execute Command    log kernel panic
                Run Keyword And Expect Error    Unexpected line detected in the log: uart0: kernel panic    Should Not Be In Log    panic    timeout=0.5
                Run Keyword And Expect Error    Expected pattern "nothing" did not appear in the log*    Wait For Log Entry    nothing    timeout=0.5
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
    }

    [Test]
    public void WaitForPauseSeesTheEmulationStop()
    {
        var test = RunOne("""
            *** Test Cases ***
            Pause
                Boot
                Run Keyword And Expect Error    Emulation did not pause in expected time of 1 seconds.    Wait For Pause    1
                Write Line To Uart    test all
                Wait For Line On Uart    TESTS:    pauseEmulation=true
                Wait For Pause    1
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
    }

    [Test]
    public void WriteToUartReportIdleAndDefaultTester()
    {
        var test = RunOne("""
            *** Test Cases ***
            Raw Writes
                Boot
                Set Default Tester    1
                Test If Uart Is Idle    1
                Clear Terminal Tester Report
                Write To Uart    hel
                Send Key To Uart    108
                Write Char On Uart    o
                Write To Uart    \r
                Wait For Line On Uart    world
                ${report}=    Get Terminal Tester Report
                Should Contain    ${report}    hello
                # Paused, the guest cannot echo before the idle check starts watching.
                Test If Uart Is Idle    1    pauseEmulation=true
                Write To Uart    x
                Run Keyword And Expect Error    *not idle*    Test If Uart Is Idle    1
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
    }

    [Test]
    public void FailingUartStringFailsTheNextWait()
    {
        var test = RunOne("""
            *** Test Cases ***
            Failing String
                Boot
                Register Failing Uart String    ipiq_\\w+: PASS    treatAsRegex=true
                Write Line To Uart    test all
                Wait For Line On Uart    TESTS: 2 passed
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Fail));
        Assert.That(test.Message, Does.EndWith("Terminal tester failed!\n\nTest failing entry has been found on UART:\nTEST ipiq_ring: PASS"));
    }

    [Test]
    public void UnexpectedPanicFailsTheTestWithThePanicLine()
    {
        var test = RunOne("""
            *** Test Cases ***
            Panics
                Boot
                Register Failing Uart String    panic:
                Write Line To Uart    fault
                Wait For Prompt On Uart    lwkt>
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Fail));
        Assert.That(test.Message, Does.Match(@"suite\.robot:\d+: Terminal tester failed!\n\nTest failing entry has been found on UART:\n" +
            @"panic: fatal trap on hart 0: mcause=0x5 mepc=0x80000d48 mtval=0x8"));
        Assert.That(test.UartTail, Does.Contain("panic: fatal trap on hart 0: mcause=0x5 mepc=0x80000d48 mtval=0x8"),
            "the failure report also shows what the guest printed last");
    }

    [Test]
    public void UnregisteredFailingStringNoLongerFails()
    {
        var test = RunOne("""
            *** Test Cases ***
            Expected Panic
                Boot
                Register Failing Uart String    panic:
                Register Failing Uart String    mcause=0x\\d+    treatAsRegex=true
                Unregister Failing Uart String    panic:
                Run Keyword And Expect Error    Unable to unregister failing string, entry not found    Unregister Failing Uart String    panic:
                Run Keyword And Expect Error    Unable to unregister failing string, entry not found    Unregister Failing Uart String    mcause
                Unregister Failing Uart String    mcause=0x\\d+    treatAsRegex=true
                Write Line To Uart    fault
                ${p}=    Wait For Line On Uart    panic: fatal trap on hart (\\d+): mcause=(\\w+)    treatAsRegex=true
                Should Be Equal    ${p.Groups[1]}    0x5
                Wait For Line On Uart    ra${SPACE}${SPACE}=
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
    }

    [Test]
    public void FailingStringAlsoFailsWaitForNextLine()
    {
        var test = RunOne("""
            *** Test Cases ***
            Next Line
                Boot
                Register Failing Uart String    panic:
                Write Line To Uart    fault
                Wait For Next Line On Uart
                Wait For Next Line On Uart
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Fail));
        Assert.That(test.Message, Does.Contain("Test failing entry has been found on UART:\npanic: fatal trap"));
    }

    [Test]
    public void MatchNextLineOnlyLooksAtTheNextLine()
    {
        var test = RunOne("""
            *** Test Cases ***
            Next Line
                Boot
                Write Line To Uart    test all
                Run Keyword And Expect Error    *not found*    Wait For Line On Uart    TESTS:    matchNextLine=true
                Wait For Line On Uart    TESTS:
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
    }

    [Test]
    public void PcAndRegisterChecksNeedACpu()
    {
        var test = RunOne("""
            *** Test Cases ***
            Cpu
                Execute Command    mach create
                Run Keyword And Expect Error    This machine has no CPUs.    PC Should Be Equal    0x80000000
                Run Keyword And Expect Error    This machine has no CPUs.    Register Should Be Equal    10    0
            """);
        Assert.That(test.Status, Is.EqualTo(RobotTestStatus.Pass), test.Message);
    }

    [Test]
    public void PcShouldBeEqualReadsTheHart()
    {
        using var emulation = new Emulation();
        var machine = emulation.CreateMachine();
        var hart = new Emulator.Peripherals.CPU.RiscV64("rv64imac_zicsr_zifencei");
        machine.Register("cpu0", hart);
        hart.PC = 0x80000040;
        var keywords = new RenodeKeywords(emulation, FakeCommandRunner.Factory(new List<string>()));
        Assert.DoesNotThrow(() => keywords.PcShouldBeEqual(0x80000040));
        var e = Assert.Throws<RobotKeywordException>(() => keywords.PcShouldBeEqual(0x80000000));
        Assert.That(e!.Message, Is.EqualTo("PC value assertion failed, actual: 0x80000040, expected: 0x80000000"));
        Assert.DoesNotThrow(() => keywords.RegisterShouldBeEqual(0, 0, cpuName: "cpu0"));
    }
}
