// A Renode plugin: the same file is compiled by Renode (`include @peripherals/Miscellaneous/TestFinisher.cs`,
// C# 9 against Renode's API) and built into this emulator (with EMU_HOST defined). Outside `#if EMU_HOST` it
// uses only Renode's API, so keep it to C# 9 and block-scoped namespaces. See docs/peripherals.md.
using Antmicro.Renode.Core;
using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals.Bus;
#if EMU_HOST
using Emulator.Devicetree;
using Emulator.RenodeApi;
#endif

namespace Antmicro.Renode.Peripherals.Miscellaneous
{
    /// <summary>
    /// QEMU's sifive_test finisher, so one guest ELF can end a run on QEMU virt, in Renode and here: a 32-bit write
    /// to offset 0 of 0x5555 passes (code 0), (code &lt;&lt; 16) | 0x3333 fails with <c>code</c>, and 0x7777 resets
    /// the machine. Pass and fail are logged at Info ("guest wrote FAIL with code 2 to the test finisher") and pause
    /// the machine; here they also end the run, and `emu run` exits with the code. Renode has no such device, so it
    /// lives in an overlay (platform/boards/finisher.repl).
    ///
    /// A reset happens between slices: every peripheral is reset (RAM keeps its contents, so the loaded ELF is
    /// still there), then the boot state (entry PC, a0/a1, device tree) is restored on every hart, as QEMU's reset
    /// vector would; in Renode the `reset` macro of the script (board.resc) does that.
    /// </summary>
    public sealed class TestFinisher : IDoubleWordPeripheral, IKnownSize
#if EMU_HOST
        , IDeviceTreeDevice
#endif
    {
        private const uint Fail = 0x3333;
        private const uint Pass = 0x5555;
        private const uint ResetCommand = 0x7777;

        private readonly IMachine machine;

        public TestFinisher(IMachine machine)
        {
            this.machine = machine;
        }

        public long Size => 0x1000;

        /// <summary>Number of resets the guest asked for.</summary>
        public int ResetCount { get; private set; }

        /// <summary>True once the guest wrote PASS or FAIL; <see cref="ExitCode"/> is then its code (`finisher ExitCode`).</summary>
        public bool Finished { get; private set; }

        public int ExitCode { get; private set; }

        public void Reset()
        {
            // Deliberately empty: the outcome and the reset count survive the machine reset the guest asked for.
        }

        public uint ReadDoubleWord(long offset)
        {
            return 0;
        }

        public void WriteDoubleWord(long offset, uint value)
        {
            if(offset != 0)
            {
                this.Log(LogLevel.Warning, "write of 0x{0:X} to unhandled offset 0x{1:X}", value, offset);
                return;
            }
            var code = (int)(value >> 16);
            switch(value & 0xFFFF)
            {
                case Pass:
                    Finish(0, "guest wrote PASS (code 0) to the test finisher");
                    break;
                case Fail:
                    Finish(code, string.Format("guest wrote FAIL with code {0} to the test finisher", code));
                    break;
                case ResetCommand:
                    ResetCount++;
                    this.Log(LogLevel.Info, "guest requested a reset");
                    machine.RequestReset();
                    break;
                default:
                    this.Log(LogLevel.Warning, "unknown command 0x{0:X}; ignored", value);
                    break;
            }
        }

#if EMU_HOST
        public string DeviceTreeNodeName => "test";

        public void DescribeDeviceTree(DeviceTreeNode node, DeviceTreeContext context)
        {
            node.SetStrings("compatible", "sifive,test1", "sifive,test0", "syscon");
        }
#endif

        /// <summary>The log line lets Robot suites see the outcome (`Wait For Log Entry  guest wrote FAIL with code 2`).</summary>
        private void Finish(int code, string message)
        {
            Finished = true;
            ExitCode = code;
            this.Log(LogLevel.Info, message);
#if EMU_HOST
            machine.RequestExit(code, message);
#else
            machine.PauseAndRequestEmulationPause();
#endif
        }
    }
}
