using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's 64-bit register.</summary>
public sealed class QuadWordRegister : PeripheralRegister
{
    public QuadWordRegister(IPeripheral? parent, ulong resetValue = 0) : base(parent, resetValue, 64)
    {
    }

    /// <summary>The stored value, without side effects.</summary>
    public ulong Value => (ulong)UnderlyingValue;

    /// <summary>A bus read: field modes and callbacks apply.</summary>
    public ulong Read() => (ulong)ReadInner();

    /// <summary>A bus write: field modes and callbacks apply.</summary>
    public void Write(long offset, ulong value) => WriteInner(value);

    public void DefineReadCallback(Action<ulong, ulong> readCallback) => AddReadCallback((o, n) => readCallback((ulong)o, (ulong)n));

    public void DefineWriteCallback(Action<ulong, ulong> writeCallback) => AddWriteCallback((o, n) => writeCallback((ulong)o, (ulong)n));

    public void DefineChangeCallback(Action<ulong, ulong> changeCallback) => AddChangeCallback((o, n) => changeCallback((ulong)o, (ulong)n));
}
