using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's DoubleWordRegisterCollection: registers by offset; an offset with none is logged as unhandled and reads 0.</summary>
public sealed class DoubleWordRegisterCollection : RegisterCollectionBase<DoubleWordRegister>
{
    public DoubleWordRegisterCollection(IPeripheral parent, IDictionary<long, DoubleWordRegister>? registersMap = null) : base(parent, registersMap)
    {
    }

    public DoubleWordRegister DefineRegister(long offset, uint resetValue = default, bool softResettable = true) =>
        AddRegister(offset, new DoubleWordRegister(Parent, resetValue));

    public uint Read(long offset) => (uint)ReadValue(offset);

    public bool TryRead(long offset, out uint result)
    {
        var found = TryReadValue(offset, out var value);
        result = (uint)value;
        return found;
    }

    public void Write(long offset, uint value) => WriteValue(offset, value);

    public bool TryWrite(long offset, uint value) => TryWriteValue(offset, value);
}
