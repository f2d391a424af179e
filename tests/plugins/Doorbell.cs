// A peripheral written the way a Renode user writes one (C# 9, Renode's API only), compiled at run time by
// `include @tests/plugins/Doorbell.cs` here and in Renode. Tests drive it from a guest program.
//
// Registers (32-bit): 0x0 Data (read/write), 0x4 Control (bit 0: interrupt enable), 0x8 Status (bit 0: rung;
// write 1 to clear), 0xC Ring (a write adds the value to Data and sets Status.rung). IRQ is high while the bell
// has rung and the interrupt is enabled.
using Antmicro.Renode.Core;
using Antmicro.Renode.Core.Structure.Registers;
using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals.Bus;

namespace Antmicro.Renode.Peripherals.Miscellaneous
{
    public class Doorbell : IDoubleWordPeripheral, IKnownSize
    {
        public Doorbell(IMachine machine)
        {
            IRQ = new GPIO();
            registers = new DoubleWordRegisterCollection(this);
            Registers.Data.Define(registers)
                .WithValueField(0, 32, out data, name: "DATA");
            Registers.Control.Define(registers)
                .WithFlag(0, out interruptEnable, name: "IE")
                .WithReservedBits(1, 31)
                .WithWriteCallback((_, __) => UpdateInterrupt());
            Registers.Status.Define(registers)
                .WithFlag(0, out rung, FieldMode.Read | FieldMode.WriteOneToClear, name: "RUNG")
                .WithReservedBits(1, 31)
                .WithWriteCallback((_, __) => UpdateInterrupt());
            Registers.Ring.Define(registers)
                .WithValueField(0, 32, FieldMode.Write, writeCallback: (_, value) => Ring(value), name: "RING");
        }

        public GPIO IRQ { get; }

        public long Size => 0x100;

        public int Rings { get; private set; }

        public void Reset()
        {
            registers.Reset();
            Rings = 0;
            UpdateInterrupt();
        }

        public uint ReadDoubleWord(long offset)
        {
            return registers.Read(offset);
        }

        public void WriteDoubleWord(long offset, uint value)
        {
            registers.Write(offset, value);
        }

        private void Ring(ulong value)
        {
            Rings++;
            data.Value += value;
            rung.Value = true;
            this.Log(LogLevel.Info, "rung with {0}, data is now {1}", value, data.Value);
            UpdateInterrupt();
        }

        private void UpdateInterrupt()
        {
            IRQ.Set(rung.Value && interruptEnable.Value);
        }

        private readonly DoubleWordRegisterCollection registers;
        private readonly IValueRegisterField data;
        private readonly IFlagRegisterField interruptEnable;
        private readonly IFlagRegisterField rung;

        private enum Registers
        {
            Data = 0x0,
            Control = 0x4,
            Status = 0x8,
            Ring = 0xC,
        }
    }
}
