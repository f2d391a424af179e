using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's 8-bit register.</summary>
public sealed class ByteRegister : PeripheralRegister
{
    public ByteRegister(IPeripheral? parent, ulong resetValue = 0) : base(parent, resetValue, 8)
    {
    }

    /// <summary>The stored value, without side effects.</summary>
    public byte Value => (byte)UnderlyingValue;

    /// <summary>A bus read: field modes and callbacks apply.</summary>
    public byte Read() => (byte)ReadInner();

    /// <summary>A bus write: field modes and callbacks apply.</summary>
    public void Write(long offset, byte value) => WriteInner(value);

    public void DefineReadCallback(Action<byte, byte> readCallback) => AddReadCallback((o, n) => readCallback((byte)o, (byte)n));

    public void DefineWriteCallback(Action<byte, byte> writeCallback) => AddWriteCallback((o, n) => writeCallback((byte)o, (byte)n));

    public void DefineChangeCallback(Action<byte, byte> changeCallback) => AddChangeCallback((o, n) => changeCallback((byte)o, (byte)n));
}
