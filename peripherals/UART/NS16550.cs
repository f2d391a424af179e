using Emulator.Core;
using Emulator.Core.Registers;
using Emulator.Devicetree;
using Emulator.Terminals;

namespace Emulator.Peripherals.UART;

/// <summary>
/// A 16550A UART (Renode's <c>UART.NS16550</c>): byte registers (or 4-byte spaced ones with
/// <c>wideRegisters</c>), a 16-byte receive FIFO, and one level <see cref="IRQ"/> line that is high while
/// IIR shows a cause, in 16550 priority order: line status, received data, transmitter empty, modem status.
/// Transmission is instantaneous: every THR write raises <see cref="CharReceived"/> at once.
///
/// Host input (<see cref="WriteChar"/>, any thread) goes through the machine's <see cref="HostInput"/>, which
/// hands it over at a slice boundary (so the guest sees it at a virtual time the machine chose, and it can be
/// recorded and replayed). Here it waits in a queue and moves into the FIFO only while the FIFO has room, so
/// nothing is dropped however fast the host types: when the guest reads LSR or RBR, when it enables the
/// receive interrupt, and at delivery while that interrupt is enabled. Input typed before the guest set the
/// UART up therefore survives its FIFO reset.
/// </summary>
public sealed class NS16550 : IBytePeripheral, IDoubleWordPeripheral, IKnownSize, IUART, IHostInputReceiver, IDeviceTreeDevice
{
    private const int FifoCapacity = 16;

    private readonly Machine machine;
    private readonly ByteRegisterCollection registers = new();
    private readonly Queue<byte> receiveFifo = new();
    // Filled only at slice boundaries on the emulation thread (ReceiveHostInput), so never touched concurrently.
    private readonly Queue<byte> hostInput = new();

    private FlagRegisterField divisorLatchAccess = null!;
    private byte interruptEnable;
    private bool fifoEnabled;
    private FlagRegisterField loopback = null!;
    private bool overrun;
    private bool transmitterEmptyInterrupt;
    private byte divisorLow;
    private byte divisorHigh;

    public NS16550(Machine machine, bool wideRegisters = false)
    {
        this.machine = machine;
        WideRegisters = wideRegisters;
        DefineRegisters();
        Reset();
    }

    public event Action<byte>? CharReceived;

    /// <summary>High while an enabled interrupt cause is present (IIR bit 0 clear).</summary>
    public GPIO IRQ { get; } = new();

    public bool WideRegisters { get; }

    public long Size => 0x100;

    public string DeviceTreeNodeName => "serial";

    /// <summary>Bytes waiting in the receive FIFO (not counting host input still queued).</summary>
    public int ReceiveFifoCount => receiveFifo.Count;

    public ushort Divisor => (ushort)(divisorLow | (divisorHigh << 8));

    public void Reset()
    {
        registers.Reset();
        receiveFifo.Clear();
        overrun = false;
        interruptEnable = 0;
        fifoEnabled = false;
        transmitterEmptyInterrupt = false;
        divisorLow = 0;
        divisorHigh = 0;
        UpdateInterrupt();
    }

    /// <summary>Queues a byte for the guest. Thread-safe; it reaches the UART at the next slice boundary.</summary>
    public void WriteChar(byte value) => machine.HostInput.Send(this, [value]);

    public void ReceiveHostInput(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            hostInput.Enqueue(b);
        }
        // Unasked, input only goes in for a guest that listens by interrupt; a polling guest pulls it in
        // with its LSR/RBR reads. Either way a guest that resets its FIFO while it sets the UART up does not
        // throw away what the host typed before it was ready.
        if ((interruptEnable & (byte)InterruptEnableBits.ReceivedData) != 0)
        {
            PumpHostInput();
        }
    }

    public byte ReadByte(long offset)
    {
        // A guest polling LSR picks up host input even between posted pumps.
        PumpHostInput();
        if (registers.TryRead(RegisterIndex(offset), out var value))
        {
            return (byte)value;
        }
        machine.Log.Warning(machine.GetName(this), $"read from unhandled offset 0x{offset:X}");
        return 0;
    }

    public void WriteByte(long offset, byte value)
    {
        if (!registers.TryWrite(RegisterIndex(offset), value))
        {
            machine.Log.Warning(machine.GetName(this), $"write of 0x{value:X} to unhandled offset 0x{offset:X}");
        }
    }

    // As in Renode, 32-bit accesses reach the same byte registers (low byte used).
    public uint ReadDoubleWord(long offset) => ReadByte(offset);

    public void WriteDoubleWord(long offset, uint value) => WriteByte(offset, (byte)value);

    public void DescribeDeviceTree(DeviceTreeNode node, DeviceTreeContext context)
    {
        node.SetStrings("compatible", "ns16550a");
        node.SetCells("clock-frequency", 3686400);
        if (WideRegisters)
        {
            node.SetCells("reg-shift", 2);
            node.SetCells("reg-io-width", 4);
        }
        if (context.TryGetInterrupt(IRQ, out var parent, out var number))
        {
            node.SetCells("interrupt-parent", parent);
            node.SetCells("interrupts", number);
        }
    }

    private long RegisterIndex(long offset)
    {
        if (WideRegisters)
        {
            return (offset & 3) == 0 ? offset >> 2 : -1;
        }
        return offset;
    }

    private void PumpHostInput()
    {
        var moved = false;
        while (receiveFifo.Count < FifoCapacity && hostInput.TryDequeue(out var value))
        {
            receiveFifo.Enqueue(value);
            moved = true;
        }
        if (moved)
        {
            UpdateInterrupt();
        }
    }

    private void Transmit(byte value)
    {
        if (loopback.Value)
        {
            if (receiveFifo.Count < FifoCapacity)
            {
                receiveFifo.Enqueue(value);
            }
            else
            {
                overrun = true;
            }
        }
        else
        {
            CharReceived?.Invoke(value);
        }
        // The byte left at once, so the holding register is empty again: that is a THRE event.
        transmitterEmptyInterrupt = true;
        UpdateInterrupt();
    }

    private byte LineStatus
    {
        get
        {
            var value = (byte)(LineStatusBits.TransmitHoldingEmpty | LineStatusBits.TransmitterEmpty);
            if (receiveFifo.Count > 0)
            {
                value |= (byte)LineStatusBits.DataReady;
            }
            if (overrun)
            {
                value |= (byte)LineStatusBits.OverrunError;
            }
            return value;
        }
    }

    /// <summary>The IIR identification (bits 3:0) of the highest-priority cause, or 1 for none.</summary>
    private byte CurrentInterrupt
    {
        get
        {
            if ((interruptEnable & (byte)InterruptEnableBits.LineStatus) != 0 && overrun)
            {
                return (byte)InterruptIdentification.LineStatus;
            }
            if ((interruptEnable & (byte)InterruptEnableBits.ReceivedData) != 0 && receiveFifo.Count > 0)
            {
                return (byte)InterruptIdentification.ReceivedData;
            }
            if ((interruptEnable & (byte)InterruptEnableBits.TransmitterEmpty) != 0 && transmitterEmptyInterrupt)
            {
                return (byte)InterruptIdentification.TransmitterEmpty;
            }
            // No modem status changes are ever produced (the modem lines are fixed), so that cause never shows.
            return (byte)InterruptIdentification.None;
        }
    }

    private void UpdateInterrupt() => IRQ.Set(CurrentInterrupt != (byte)InterruptIdentification.None);

    private void DefineRegisters()
    {
        registers.DefineRegister((long)Registers.Data)
            .WithValueField(0, 8, name: "RBR_THR_DLL",
                valueProviderCallback: _ =>
                {
                    if (divisorLatchAccess.Value)
                    {
                        return divisorLow;
                    }
                    if (receiveFifo.Count == 0)
                    {
                        return 0;
                    }
                    var value = receiveFifo.Dequeue();
                    PumpHostInput();
                    UpdateInterrupt();
                    return value;
                },
                writeCallback: (_, value) =>
                {
                    if (divisorLatchAccess.Value)
                    {
                        divisorLow = (byte)value;
                        return;
                    }
                    Transmit((byte)value);
                });
        // IER and DLM share an offset: with DLAB set, accesses go to the divisor's high byte instead.
        registers.DefineRegister((long)Registers.InterruptEnable)
            .WithValueField(0, 8, name: "IER_DLM",
                valueProviderCallback: _ => divisorLatchAccess.Value ? divisorHigh : (ulong)interruptEnable,
                writeCallback: (_, value) =>
                {
                    if (divisorLatchAccess.Value)
                    {
                        divisorHigh = (byte)value;
                        return;
                    }
                    var wasEnabled = (interruptEnable & (byte)InterruptEnableBits.TransmitterEmpty) != 0;
                    interruptEnable = (byte)(value & 0x0F);
                    if (!wasEnabled && (interruptEnable & (byte)InterruptEnableBits.TransmitterEmpty) != 0)
                    {
                        // Enabling THRE interrupts while THR is empty (always, here) raises one at once.
                        transmitterEmptyInterrupt = true;
                    }
                    if ((interruptEnable & (byte)InterruptEnableBits.ReceivedData) != 0)
                    {
                        PumpHostInput();
                    }
                    UpdateInterrupt();
                });
        registers.DefineRegister((long)Registers.InterruptIdentification)
            .WithValueField(0, 8, name: "IIR_FCR",
                valueProviderCallback: _ =>
                {
                    var id = CurrentInterrupt;
                    if (id == (byte)InterruptIdentification.TransmitterEmpty)
                    {
                        // Reading IIR while it reports THRE clears that cause (16550 datasheet).
                        transmitterEmptyInterrupt = false;
                        UpdateInterrupt();
                    }
                    return (ulong)(id | (fifoEnabled ? 0xC0 : 0x00));
                },
                writeCallback: (_, value) =>
                {
                    fifoEnabled = (value & 1) != 0;
                    if ((value & 2) != 0)
                    {
                        receiveFifo.Clear();
                        PumpHostInput();
                    }
                    UpdateInterrupt();
                });
        registers.DefineRegister((long)Registers.LineControl)
            .WithValueField(0, 7, name: "LCR")
            .WithFlag(7, out divisorLatchAccess, name: "DLAB");
        registers.DefineRegister((long)Registers.ModemControl)
            .WithValueField(0, 4, name: "MCR")
            .WithFlag(4, out loopback, name: "LOOP")
            .WithReservedBits(5, 3);
        registers.DefineRegister((long)Registers.LineStatus, 0x60)
            .WithValueField(0, 8, FieldMode.Read, name: "LSR",
                valueProviderCallback: _ =>
                {
                    var value = LineStatus;
                    if (overrun)
                    {
                        // Error bits clear on read.
                        overrun = false;
                        UpdateInterrupt();
                    }
                    return value;
                });
        registers.DefineRegister((long)Registers.ModemStatus)
            // CTS, DSR and DCD asserted, as a connected terminal would (QEMU reports the same).
            .WithValueField(0, 8, FieldMode.Read, name: "MSR", valueProviderCallback: _ => 0xB0);
        registers.DefineRegister((long)Registers.Scratch)
            .WithValueField(0, 8, name: "SCR");
    }

    private enum Registers : long
    {
        Data = 0x0,                     // RBR (read) / THR (write) / DLL (DLAB)
        InterruptEnable = 0x1,          // IER / DLM (DLAB)
        InterruptIdentification = 0x2,  // IIR (read) / FCR (write)
        LineControl = 0x3,
        ModemControl = 0x4,
        LineStatus = 0x5,
        ModemStatus = 0x6,
        Scratch = 0x7,
    }

    [Flags]
    private enum InterruptEnableBits : byte
    {
        ReceivedData = 1 << 0,
        TransmitterEmpty = 1 << 1,
        LineStatus = 1 << 2,
        ModemStatus = 1 << 3,
    }

    [Flags]
    private enum LineStatusBits : byte
    {
        DataReady = 1 << 0,
        OverrunError = 1 << 1,
        TransmitHoldingEmpty = 1 << 5,
        TransmitterEmpty = 1 << 6,
    }

    private enum InterruptIdentification : byte
    {
        ModemStatus = 0x0,
        None = 0x1,
        TransmitterEmpty = 0x2,
        ReceivedData = 0x4,
        LineStatus = 0x6,
    }
}
