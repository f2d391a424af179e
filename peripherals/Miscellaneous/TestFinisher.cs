using Emulator.Core;
using Emulator.Devicetree;

namespace Emulator.Peripherals.Miscellaneous;

/// <summary>
/// QEMU's sifive_test finisher, so one guest ELF can end a run on QEMU virt and here: a 32-bit write to
/// offset 0 of 0x5555 ends the run with exit code 0, (code &lt;&lt; 16) | 0x3333 ends it with <c>code</c>, and
/// 0x7777 resets the machine. Renode has no such device, so it lives in an overlay (platform/boards/finisher.repl).
///
/// Reset happens between slices (through Machine.Post): every peripheral is reset (RAM keeps its contents,
/// so the loaded ELF is still there), then the boot state that <c>BootSetup</c> recorded (entry PC, a0/a1,
/// device tree) is restored on every hart, which is what QEMU's reset vector would do.
/// </summary>
public sealed class TestFinisher : IDoubleWordPeripheral, IKnownSize, IDeviceTreeDevice
{
    private const uint Fail = 0x3333;
    private const uint Pass = 0x5555;
    private const uint ResetCommand = 0x7777;

    private readonly Machine machine;

    public TestFinisher(Machine machine)
    {
        this.machine = machine;
    }

    public long Size => 0x1000;

    public string DeviceTreeNodeName => "test";

    /// <summary>Number of resets the guest asked for (for tests and logs).</summary>
    public int ResetCount { get; private set; }

    public void Reset()
    {
    }

    public uint ReadDoubleWord(long offset) => 0;

    public void WriteDoubleWord(long offset, uint value)
    {
        if (offset != 0)
        {
            machine.Log.Warning(machine.GetName(this), $"write of 0x{value:X} to unhandled offset 0x{offset:X}");
            return;
        }
        var code = (int)(value >> 16);
        switch (value & 0xFFFF)
        {
            case Pass:
                Exit(0, "guest wrote PASS (0x5555) to the test finisher");
                break;
            case Fail:
                Exit(code, $"guest wrote FAIL with code {code} to the test finisher");
                break;
            case ResetCommand:
                ResetCount++;
                machine.Log.Info(machine.GetName(this), "guest requested a reset");
                machine.Post(() =>
                {
                    var count = ResetCount;
                    machine.Reset();
                    ResetCount = count;
                    BootSetup.RestoreBootState(machine);
                });
                break;
            default:
                machine.Log.Warning(machine.GetName(this), $"unknown command 0x{value:X}; ignored");
                break;
        }
    }

    /// <summary>Ends the run; the log line lets Robot suites see why (`Wait For Log Entry  finisher: ...`).</summary>
    private void Exit(int code, string message)
    {
        machine.Log.Info(machine.GetName(this), message);
        machine.RequestExit(code, message);
    }

    public void DescribeDeviceTree(DeviceTreeNode node, DeviceTreeContext context)
    {
        node.SetStrings("compatible", "sifive,test1", "sifive,test0", "syscon");
    }
}
