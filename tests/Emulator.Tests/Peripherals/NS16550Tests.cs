using Emulator.Peripherals.UART;
using NUnit.Framework;

namespace Emulator.Tests.Peripherals;

public class NS16550Tests
{
    private const long Data = 0;
    private const long InterruptEnable = 1;
    private const long InterruptIdentification = 2;
    private const long LineControl = 3;
    private const long ModemControl = 4;
    private const long LineStatus = 5;
    private const long Scratch = 7;

    private Machine machine = null!;
    private NS16550 uart = null!;
    private RecordingReceiver plic = null!;
    private List<byte> transmitted = null!;

    [SetUp]
    public void SetUp()
    {
        machine = new Machine();
        uart = new NS16550(machine);
        plic = new RecordingReceiver();
        uart.IRQ.Connect(plic, 10);
        transmitted = new List<byte>();
        uart.CharReceived += transmitted.Add;
    }

    [Test]
    public void ResetValuesAreThe16550s()
    {
        Assert.That(uart.ReadByte(LineStatus), Is.EqualTo(0x60));
        Assert.That(uart.ReadByte(InterruptIdentification), Is.EqualTo(0x01));
        Assert.That(uart.ReadByte(InterruptEnable), Is.EqualTo(0x00));
        Assert.That(uart.Size, Is.EqualTo(0x100));
        Assert.That(uart.IRQ.IsSet, Is.False);
    }

    [Test]
    public void TransmittedBytesRaiseCharReceivedAtOnce()
    {
        uart.WriteByte(Data, (byte)'h');
        uart.WriteDoubleWord(Data, 'i');
        Assert.That(transmitted, Is.EqualTo(new[] { (byte)'h', (byte)'i' }));
    }

    [Test]
    public void HostInputArrivesThroughThePostedPumpWhenTheGuestListens()
    {
        uart.WriteByte(InterruptEnable, 0x01);
        uart.WriteChar((byte)'a');
        Assert.That(uart.ReceiveFifoCount, Is.EqualTo(0), "nothing moves until the emulation thread runs");
        machine.Run(new RunLimits(1, 1));
        Assert.That(uart.ReceiveFifoCount, Is.EqualTo(1));
        Assert.That(uart.ReadByte(LineStatus) & 1, Is.EqualTo(1));
        Assert.That(uart.ReadByte(Data), Is.EqualTo((byte)'a'));
        Assert.That(uart.ReadByte(LineStatus) & 1, Is.EqualTo(0));
    }

    [Test]
    public void InputTypedBeforeTheGuestSetsUpTheUartSurvivesItsFifoReset()
    {
        uart.WriteChar((byte)'a');
        uart.WriteChar((byte)'b');
        machine.Run(new RunLimits(1, 1));
        Assert.That(uart.ReceiveFifoCount, Is.EqualTo(0), "nobody listens yet");
        uart.WriteByte(InterruptEnable, 0x00);
        uart.WriteByte(InterruptIdentification, 0x07);
        uart.WriteByte(InterruptEnable, 0x01);
        Assert.That(plic[10], Is.True);
        Assert.That(uart.ReadByte(Data), Is.EqualTo((byte)'a'));
        Assert.That(uart.ReadByte(Data), Is.EqualTo((byte)'b'));
    }

    [Test]
    public void FifoHoldsSixteenAndTheRestWaitsWithoutLoss()
    {
        var input = Enumerable.Range(0, 40).Select(i => (byte)('A' + i)).ToArray();
        var writers = new[] { input[..20], input[20..] };
        // Two host threads; each thread's bytes keep their order.
        foreach (var chunk in writers)
        {
            var thread = new Thread(() =>
            {
                foreach (var b in chunk)
                {
                    uart.WriteChar(b);
                }
            });
            thread.Start();
            thread.Join();
        }
        DeliverHostInput();
        uart.ReadByte(LineStatus);
        Assert.That(uart.ReceiveFifoCount, Is.EqualTo(16));
        var received = new List<byte>();
        while ((uart.ReadByte(LineStatus) & 1) != 0)
        {
            received.Add(uart.ReadByte(Data));
        }
        Assert.That(received, Is.EqualTo(input));
    }

    [Test]
    public void ReceivedDataRaisesTheInterruptWhenEnabled()
    {
        uart.WriteChar((byte)'x');
        DeliverHostInput();
        uart.ReadByte(LineStatus);
        Assert.That(plic[10], Is.False);
        uart.WriteByte(InterruptEnable, 0x01);
        Assert.That(plic[10], Is.True);
        Assert.That(uart.ReadByte(InterruptIdentification) & 0x0F, Is.EqualTo(0x04));
        uart.ReadByte(Data);
        Assert.That(plic[10], Is.False);
        Assert.That(uart.ReadByte(InterruptIdentification), Is.EqualTo(0x01));
    }

    [Test]
    public void TransmitterEmptyInterruptFiresOnEnableAndClearsOnIirRead()
    {
        uart.WriteByte(InterruptEnable, 0x02);
        Assert.That(plic[10], Is.True);
        Assert.That(uart.ReadByte(InterruptIdentification), Is.EqualTo(0x02));
        Assert.That(plic[10], Is.False);
        uart.WriteByte(Data, (byte)'z');
        Assert.That(plic[10], Is.True, "the byte left at once: THR empty again");
    }

    [Test]
    public void ReceivedDataOutranksTransmitterEmpty()
    {
        uart.WriteByte(InterruptEnable, 0x03);
        uart.WriteChar((byte)'x');
        DeliverHostInput();
        uart.ReadByte(LineStatus);
        Assert.That(uart.ReadByte(InterruptIdentification) & 0x0F, Is.EqualTo(0x04));
        uart.ReadByte(Data);
        Assert.That(uart.ReadByte(InterruptIdentification) & 0x0F, Is.EqualTo(0x02));
    }

    [Test]
    public void FifoControlSetsIirFifoBitsAndClearsReceiver()
    {
        uart.WriteChar((byte)'x');
        DeliverHostInput();
        uart.ReadByte(LineStatus);
        uart.WriteByte(InterruptIdentification, 0x01);
        Assert.That(uart.ReadByte(InterruptIdentification) & 0xC0, Is.EqualTo(0xC0));
        Assert.That(uart.ReceiveFifoCount, Is.EqualTo(1), "enabling alone keeps the data");
        uart.WriteByte(InterruptIdentification, 0x03);
        Assert.That(uart.ReceiveFifoCount, Is.EqualTo(0));
    }

    [Test]
    public void DivisorLatchSharesOffsetsWithDataAndInterruptEnable()
    {
        uart.WriteByte(LineControl, 0x83);
        uart.WriteByte(Data, 0x34);
        uart.WriteByte(InterruptEnable, 0x12);
        Assert.That(uart.Divisor, Is.EqualTo(0x1234));
        Assert.That(uart.ReadByte(Data), Is.EqualTo(0x34));
        Assert.That(uart.ReadByte(InterruptEnable), Is.EqualTo(0x12));
        Assert.That(transmitted, Is.Empty);
        uart.WriteByte(LineControl, 0x03);
        Assert.That(uart.ReadByte(InterruptEnable), Is.EqualTo(0x00));
        Assert.That(uart.ReadByte(LineControl), Is.EqualTo(0x03));
    }

    [Test]
    public void ScratchRegisterHoldsAByte()
    {
        uart.WriteByte(Scratch, 0xA5);
        Assert.That(uart.ReadByte(Scratch), Is.EqualTo(0xA5));
    }

    [Test]
    public void LoopbackSendsTransmittedBytesToTheReceiver()
    {
        uart.WriteByte(ModemControl, 0x10);
        uart.WriteByte(Data, (byte)'q');
        Assert.That(transmitted, Is.Empty);
        Assert.That(uart.ReadByte(Data), Is.EqualTo((byte)'q'));
    }

    [Test]
    public void OverrunIsALineStatusInterruptThatOutranksData()
    {
        uart.WriteByte(ModemControl, 0x10);
        uart.WriteByte(InterruptEnable, 0x05);
        for (var i = 0; i < 17; i++)
        {
            uart.WriteByte(Data, (byte)i);
        }
        Assert.That(uart.ReadByte(InterruptIdentification) & 0x0F, Is.EqualTo(0x06));
        Assert.That(uart.ReadByte(LineStatus) & 0x02, Is.EqualTo(0x02));
        Assert.That(uart.ReadByte(LineStatus) & 0x02, Is.EqualTo(0x00), "OE clears when LSR is read");
        Assert.That(uart.ReadByte(InterruptIdentification) & 0x0F, Is.EqualTo(0x04));
        Assert.That(plic[10], Is.True);
    }

    [Test]
    public void WideRegistersAreFourBytesApart()
    {
        var wide = new NS16550(machine, wideRegisters: true);
        Assert.That(wide.ReadDoubleWord(4 * LineStatus), Is.EqualTo(0x60u));
        wide.WriteDoubleWord(4 * Scratch, 0x5A);
        Assert.That(wide.ReadByte(4 * Scratch), Is.EqualTo(0x5A));
        Assert.That(wide.ReadByte(Scratch), Is.EqualTo(0), "byte offsets between registers are unmapped");
    }

    [Test]
    public void ResetDropsReceivedDataAndSettings()
    {
        uart.WriteByte(InterruptEnable, 0x01);
        uart.WriteChar((byte)'x');
        DeliverHostInput();
        uart.ReadByte(LineStatus);
        uart.WriteByte(Scratch, 1);
        uart.Reset();
        Assert.That(uart.ReceiveFifoCount, Is.EqualTo(0));
        Assert.That(uart.ReadByte(InterruptEnable), Is.EqualTo(0));
        Assert.That(uart.ReadByte(Scratch), Is.EqualTo(0));
        Assert.That(plic[10], Is.False);
    }

    /// <summary>Host input enters the UART only at a slice boundary; one tiny run makes one.</summary>
    private void DeliverHostInput() => machine.Run(new RunLimits(1, 1));

    [Test]
    public void HostInputEntersOnlyAtASliceBoundaryAndIsRecorded()
    {
        var deliveries = new List<Emulator.Terminals.HostInputDelivery>();
        machine.HostInput.Delivered += deliveries.Add;
        uart.WriteChar((byte)'q');
        uart.ReadByte(LineStatus);
        Assert.That(uart.ReceiveFifoCount, Is.Zero, "a register read between boundaries does not pull host input in");
        DeliverHostInput();
        uart.ReadByte(LineStatus);
        Assert.That(uart.ReceiveFifoCount, Is.EqualTo(1));
        Assert.That(deliveries, Has.Count.EqualTo(1));
        Assert.That(deliveries[0].Device, Is.EqualTo(machine.GetName(uart)));
        Assert.That(deliveries[0].Bytes, Is.EqualTo(new[] { (byte)'q' }));
    }
}
