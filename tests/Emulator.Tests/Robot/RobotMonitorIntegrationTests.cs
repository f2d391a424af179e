using Emulator.Devicetree;
using Emulator.Robot;
using NUnit.Framework;

namespace Emulator.Tests.Robot;

/// <summary>The Robot keywords through the real monitor, and the board files the guest suites rely on.</summary>
[TestFixture]
public sealed class RobotMonitorIntegrationTests
{
    private static string RepositoryRoot => Path.GetFullPath(Path.Combine(RobotSuiteHarness.RepositoryRobotDirectory(), "..", ".."));

    [Test]
    public void ExecuteCommandReachesTheMonitorAndReportsItsErrors()
    {
        using var harness = new RobotSuiteHarness();
        var result = harness.Run("""
            *** Test Cases ***
            Monitor
                Execute Command    mach create "robot"
                ${out}=    Execute Command    help
                Should Contain    ${out}    mach
                Run Keyword And Expect Error    Could not execute command 'frobnicate':*    Execute Command    frobnicate
                Execute Command    $x = 5
                Reset Emulation
                Run Keyword And Expect Error    There is no machine in the emulation.    Create Terminal Tester    sysbus.uart0
            """, o => o.CommandRunnerFactory = null);
        Assert.That(result.Tests.Single().Status, Is.EqualTo(RobotTestStatus.Pass), result.Tests.Single().Message);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(8)]
    [TestCase(16)]
    public void CommittedDeviceTreesMatchTheBoards(int harts)
    {
        // tests/robot/dtb/board-N.dtb is what `scripts/emu dtb platform/boards/board-N.repl ...` writes;
        // this fails when a board changes and the blob was not regenerated.
        var repl = Path.Combine(RepositoryRoot, "platform", "boards", $"board-{harts}.repl");
        var dtb = Path.Combine(RobotSuiteHarness.RepositoryRobotDirectory(), "dtb", $"board-{harts}.dtb");
        using var emulation = new Emulation();
        using var monitor = new Emulator.Monitor.Monitor(emulation);
        monitor.Execute("mach create");
        monitor.Execute($"machine LoadPlatformDescription @\"{repl}\"");
        Assert.That(emulation.Machines.Single().Harts, Has.Count.EqualTo(harts));
        Assert.That(File.ReadAllBytes(dtb), Is.EqualTo(DeviceTreeBuilder.Build(emulation.Machines.Single())),
            $"regenerate with: scripts/emu dtb platform/boards/board-{harts}.repl tests/robot/dtb/board-{harts}.dtb");
    }
}
