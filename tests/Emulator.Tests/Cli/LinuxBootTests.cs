using System.Diagnostics;
using System.Text;
using Emulator.Core;
using NUnit.Framework;
using MonitorShell = Emulator.Monitor.Monitor;

namespace Emulator.Tests.Cli;

/// <summary>
/// The Linux benchmark kernel (scripts/linux-build, tests/linux) boots to its /init on our board and on QEMU. The
/// kernel takes minutes to build, so these tests run only where artifacts/linux/Image exists (ignored otherwise).
/// </summary>
[TestFixture]
public class LinuxBootTests
{
    private const string FwJump = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf";
    private const string InitMark = "EMU-LINUX: init started";
    private const string LoopMark = "EMU-LINUX: loop done";

    private static string Image => Path.Combine(EchoGuest.RepositoryRoot, "artifacts", "linux", "Image");

    private static void RequireKernel()
    {
        if (!File.Exists(Image) || !File.Exists(FwJump))
        {
            Assert.Ignore("artifacts/linux/Image (scripts/linux-build) or OpenSBI (scripts/bootstrap) is missing");
        }
    }

    /// <summary>
    /// QEMU 7.2's device tree has only `riscv,isa`; a kernel without CONFIG_RISCV_ISA_FALLBACK found no valid hart there
    /// and died with "Kernel panic - not syncing: Fatal exception in interrupt" before init.
    /// </summary>
    [Test]
    public void ReachesInitAndFinishesItsLoopOnQemu()
    {
        RequireKernel();
        if (!File.Exists("/usr/bin/qemu-system-riscv64"))
        {
            Assert.Ignore("qemu-system-riscv64 is not installed");
        }
        var start = new ProcessStartInfo("timeout",
            $"60 qemu-system-riscv64 -M virt -smp 4 -m 128M -cpu rv64,f=false,d=false,h=false,v=false -nographic -bios {FwJump} -kernel {Image}")
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var qemu = Process.Start(start)!;
        var output = new StringBuilder();
        var done = new ManualResetEventSlim();
        qemu.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
                if (e.Data == null || e.Data.Contains(LoopMark) || e.Data.Contains("Kernel panic"))
                {
                    done.Set();
                }
            }
        };
        qemu.BeginOutputReadLine();
        done.Wait(TimeSpan.FromSeconds(70));
        if (!qemu.HasExited)
        {
            qemu.Kill(entireProcessTree: true);
        }
        qemu.WaitForExit();
        string text;
        lock (output)
        {
            text = output.ToString();
        }
        Assert.That(text, Does.Not.Contain("Kernel panic"));
        Assert.That(text, Does.Contain(InitMark));
        Assert.That(text, Does.Contain(LoopMark));
    }

    [TestCase(1)]
    [TestCase(4)]
    public void ReachesInitAndFinishesItsLoopOnTheBoard(int harts)
    {
        RequireKernel();
        var root = EchoGuest.RepositoryRoot;
        var dtb = harts == 4 ? Path.Combine(root, "board.dtb") : Path.Combine(root, "tests", "robot", "dtb", $"board-{harts}.dtb");
        using var emulation = new Emulation();
        using var monitor = new MonitorShell(emulation);
        monitor.Execute("mach create \"linux\"");
        monitor.Execute($"machine LoadPlatformDescription @{Path.Combine(root, "platform", "boards", $"board-{harts}.repl")}");
        monitor.Execute($"sysbus LoadELF @{FwJump}");
        monitor.Execute($"sysbus LoadBinary @{Image} 0x80200000");
        monitor.Execute($"sysbus LoadFdt @{dtb} 0x87ff0000");
        for (var h = 0; h < harts; h++)
        {
            monitor.Execute($"cpu{h} SetRegister 10 {h}");
            monitor.Execute($"cpu{h} SetRegister 11 0x87ff0000");
        }
        var machine = emulation.CurrentMachine!;
        Assert.That(machine.TryGetByName("uart0", out var uart), Is.True);
        var text = new StringBuilder();
        ((IUART)uart).CharReceived += c => text.Append((char)c);
        // Boot to init takes about 0.4 s of virtual time, the loop 3 s more (100 MIPS per hart).
        for (var i = 0; i < 60 && !text.ToString().Contains(LoopMark); i++)
        {
            machine.Run(RunLimits.ForTime(TimeSpan.FromMilliseconds(100)));
        }
        var output = text.ToString();
        Assert.That(output, Does.Contain($"smp: Brought up 1 node, {harts} CPU"));
        Assert.That(output, Does.Contain(InitMark));
        Assert.That(output, Does.Contain(LoopMark));
    }
}
