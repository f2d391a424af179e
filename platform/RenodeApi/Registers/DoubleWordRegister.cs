using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's 32-bit register.</summary>
public sealed class DoubleWordRegister : PeripheralRegister
{
    public DoubleWordRegister(IPeripheral? parent, ulong resetValue = 0) : base(parent, resetValue, 32)
    {
    }

    /// <summary>The stored value, without side effects.</summary>
    public uint Value => (uint)UnderlyingValue;

    /// <summary>A bus read: field modes and callbacks apply.</summary>
    public uint Read() => (uint)ReadInner();

    /// <summary>A bus write: field modes and callbacks apply.</summary>
    public void Write(long offset, uint value) => WriteInner(value);

    public void DefineReadCallback(Action<uint, uint> readCallback) => AddReadCallback((o, n) => readCallback((uint)o, (uint)n));

    public void DefineWriteCallback(Action<uint, uint> writeCallback) => AddWriteCallback((o, n) => writeCallback((uint)o, (uint)n));

    public void DefineChangeCallback(Action<uint, uint> changeCallback) => AddChangeCallback((o, n) => changeCallback((uint)o, (uint)n));
}
