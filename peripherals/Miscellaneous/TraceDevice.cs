// A Renode plugin source like TestFinisher.cs (C# 9 against Renode's API outside `#if EMU_HOST`; see
// docs/peripherals.md). In Renode the device accepts the guest's announcements and drops them.
using Antmicro.Renode.Core;
using Antmicro.Renode.Peripherals.Bus;
#if EMU_HOST
using System.Text;
using Emulator.Devicetree;
using Emulator.RenodeApi;
#endif

namespace Antmicro.Renode.Peripherals.Miscellaneous
{
    /// <summary>
    /// Where the guest announces what only it knows to the timeline (`emu run --trace`, docs/tracing.md): thread
    /// switches with the new thread's name, token requests, hand-overs and receipts. Registers, 32 bits each:
    /// 0x0/0x4 ARG0 low/high, 0x8/0xC ARG1 low/high, 0x10 EVENT (a write records event 1 switch: ARG0 = address of
    /// the thread's NUL-terminated name; 2 token request: ARG0 = token, ARG1 = owner cpu; 3 hand-over: ARG0 = token,
    /// ARG1 = new owner cpu; 4 received: ARG0 = token). Every hart has its own arguments. Without a trace being
    /// recorded the writes cost a bus access and nothing else. The device is in an overlay
    /// (platform/boards/trace.repl) and appears in the device tree as /soc/lwkt-trace@..., which is how the
    /// guest finds it; boards without it (and QEMU) get no writes.
    /// </summary>
    public sealed class TraceDevice : IDoubleWordPeripheral, IKnownSize
#if EMU_HOST
        , IDeviceTreeDevice
#endif
    {
        private const int MaxHarts = 64;
        private const int NameLimit = 64;

        private readonly IMachine machine;
        private readonly ulong[] arg0 = new ulong[MaxHarts];
        private readonly ulong[] arg1 = new ulong[MaxHarts];

        public TraceDevice(IMachine machine)
        {
            this.machine = machine;
        }

        public long Size => 0x1000;

        /// <summary>Events the guest wrote (with or without a trace being recorded).</summary>
        public ulong EventsWritten { get; private set; }

        public void Reset()
        {
            System.Array.Clear(arg0, 0, arg0.Length);
            System.Array.Clear(arg1, 0, arg1.Length);
        }

        public uint ReadDoubleWord(long offset)
        {
            return 0;
        }

        public void WriteDoubleWord(long offset, uint value)
        {
            var hart = CurrentHart();
            switch(offset)
            {
                case 0x0: arg0[hart] = (arg0[hart] & 0xFFFFFFFF00000000UL) | value; break;
                case 0x4: arg0[hart] = (arg0[hart] & 0xFFFFFFFFUL) | ((ulong)value << 32); break;
                case 0x8: arg1[hart] = (arg1[hart] & 0xFFFFFFFF00000000UL) | value; break;
                case 0xC: arg1[hart] = (arg1[hart] & 0xFFFFFFFFUL) | ((ulong)value << 32); break;
                case 0x10:
                    EventsWritten++;
                    Record(hart, value, arg0[hart], arg1[hart]);
                    break;
            }
        }

#if EMU_HOST
        public string DeviceTreeNodeName => "lwkt-trace";

        public void DescribeDeviceTree(DeviceTreeNode node, DeviceTreeContext context)
        {
            node.SetStrings("compatible", "lwkt,trace");
        }

        private int CurrentHart()
        {
            var hart = machine.Engine().CurrentHart;
            return hart == null ? 0 : (int)(hart.HartId % MaxHarts);
        }

        private void Record(int hart, uint ev, ulong a0, ulong a1)
        {
            var engine = machine.Engine();
            var trace = engine.Trace;
            if (trace == null)
            {
                return;
            }
            switch(ev)
            {
                case 1: trace.ThreadSwitch(hart, ReadName(engine, a0)); break;
                case 2: trace.TokenRequest(hart, a0, (int)a1); break;
                case 3: trace.TokenHandOver(hart, a0, (int)a1); break;
                case 4: trace.TokenReceived(hart, a0); break;
            }
        }

        private static string ReadName(Emulator.Machine engine, ulong address)
        {
            var name = new StringBuilder();
            for (var i = 0; i < NameLimit; i++)
            {
                if (!engine.SystemBus.TryRead(address + (ulong)i, 1, out var b) || b == 0)
                {
                    break;
                }
                name.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
            }
            return name.Length == 0 ? "(unnamed)" : name.ToString();
        }
#else
        private int CurrentHart()
        {
            return 0;
        }

        private void Record(int hart, uint ev, ulong a0, ulong a1)
        {
        }
#endif
    }
}
