using Emulator.Core.Registers;
using NUnit.Framework;

namespace Emulator.Tests.Peripherals;

public class RegisterCollectionTests
{
    private enum Registers
    {
        Control = 0x0,
        Status = 0x4,
    }

    [Test]
    public void FieldsComposeTheRegisterValueAndResetRestoresIt()
    {
        var registers = new DoubleWordRegisterCollection();
        Registers.Control.Define(registers, 0x0000_0301)
            .WithFlag(0, out var enable, name: "EN")
            .WithReservedBits(1, 7)
            .WithValueField(8, 4, out var mode, name: "MODE");
        Assert.That(enable.Value, Is.True);
        Assert.That(mode.Value, Is.EqualTo(3UL));
        registers.TryWrite(0, 0xFFFF_FFFE);
        Assert.That(registers.TryRead(0, out var value), Is.True);
        Assert.That(value, Is.EqualTo(0xF00UL), "reserved and undefined bits read zero");
        Assert.That(enable.Value, Is.False);
        registers.Reset();
        Assert.That(registers.Registers[0].Value, Is.EqualTo(0x301UL));
    }

    [Test]
    public void FieldModesBehaveAsInRenode()
    {
        var register = new PeripheralRegister(32)
            .WithValueField(0, 4, out var set, FieldMode.Read | FieldMode.Set)
            .WithValueField(4, 4, out var toggle, FieldMode.Read | FieldMode.Toggle)
            .WithValueField(8, 4, out var clearOnOne, FieldMode.Read | FieldMode.WriteOneToClear)
            .WithValueField(12, 4, out var clearOnZero, FieldMode.Read | FieldMode.WriteZeroToClear)
            .WithValueField(16, 4, out var readToClear, FieldMode.Read | FieldMode.ReadToClear)
            .WithValueField(20, 4, out var readOnly, FieldMode.Read);
        set.Value = 0b0001;
        toggle.Value = 0b0011;
        clearOnOne.Value = 0b1111;
        clearOnZero.Value = 0b1111;
        readToClear.Value = 0b1010;
        readOnly.Value = 0b0110;
        register.Write(0x00F0_6522);
        Assert.That(set.Value, Is.EqualTo(0b0011UL));
        Assert.That(toggle.Value, Is.EqualTo(0b0001UL));
        Assert.That(clearOnOne.Value, Is.EqualTo(0b1010UL));
        Assert.That(clearOnZero.Value, Is.EqualTo(0b0110UL));
        Assert.That(readOnly.Value, Is.EqualTo(0b0110UL));
        Assert.That((register.Read() >> 16) & 0xF, Is.EqualTo(0b1010UL));
        Assert.That(readToClear.Value, Is.EqualTo(0UL));
    }

    [Test]
    public void CallbacksSeeOldAndNewValues()
    {
        var calls = new List<string>();
        var register = new PeripheralRegister(8)
            .WithValueField(0, 8, FieldMode.Read | FieldMode.Write,
                readCallback: (o, n) => calls.Add($"read {o}->{n}"),
                writeCallback: (o, n) => calls.Add($"write {o}->{n}"),
                changeCallback: (o, n) => calls.Add($"change {o}->{n}"),
                valueProviderCallback: v => v + 1);
        register.Write(5);
        register.Write(5);
        Assert.That(register.Read(), Is.EqualTo(6UL));
        Assert.That(calls, Is.EqualTo(new[] { "write 0->5", "change 0->5", "write 5->5", "read 5->6" }));
    }

    [Test]
    public void WriteCallbackRunsEvenForReadOnlyFields()
    {
        var written = -1L;
        var register = new PeripheralRegister(32).WithValueField(0, 32, FieldMode.Read, writeCallback: (_, n) => written = (long)n);
        register.Write(7);
        Assert.That(written, Is.EqualTo(7));
        Assert.That(register.Value, Is.EqualTo(0UL));
    }

    [Test]
    public void UndefinedOffsetsAreReportedToTheCaller()
    {
        var registers = new ByteRegisterCollection();
        registers.DefineRegister(1);
        Assert.That(registers.TryRead(2, out _), Is.False);
        Assert.That(registers.TryWrite(2, 0), Is.False);
        Assert.That(registers.TryWrite(1, 0), Is.True);
    }

    [Test]
    public void OverlappingFieldsAndDuplicateOffsetsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new PeripheralRegister(32).WithFlag(3).WithValueField(0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PeripheralRegister(8).WithValueField(4, 8));
        var registers = new DoubleWordRegisterCollection();
        registers.DefineRegister(0);
        Assert.Throws<ArgumentException>(() => registers.DefineRegister(0));
    }
}
