using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's 16-bit register.</summary>
public sealed class WordRegister : PeripheralRegister
{
    public WordRegister(IPeripheral? parent, ulong resetValue = 0) : base(parent, resetValue, 16)
    {
    }

    /// <summary>The stored value, without side effects.</summary>
    public ushort Value => (ushort)UnderlyingValue;

    /// <summary>A bus read: field modes and callbacks apply.</summary>
    public ushort Read() => (ushort)ReadInner();

    /// <summary>A bus write: field modes and callbacks apply.</summary>
    public void Write(long offset, ushort value) => WriteInner(value);

    public void DefineReadCallback(Action<ushort, ushort> readCallback) => AddReadCallback((o, n) => readCallback((ushort)o, (ushort)n));

    public void DefineWriteCallback(Action<ushort, ushort> writeCallback) => AddWriteCallback((o, n) => writeCallback((ushort)o, (ushort)n));

    public void DefineChangeCallback(Action<ushort, ushort> changeCallback) => AddChangeCallback((o, n) => changeCallback((ushort)o, (ushort)n));
}
