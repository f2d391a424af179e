using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's QuadWordRegisterCollection: registers by offset; an offset with none is logged as unhandled and reads 0.</summary>
public sealed class QuadWordRegisterCollection : RegisterCollectionBase<QuadWordRegister>
{
    public QuadWordRegisterCollection(IPeripheral parent, IDictionary<long, QuadWordRegister>? registersMap = null) : base(parent, registersMap)
    {
    }

    public QuadWordRegister DefineRegister(long offset, ulong resetValue = default, bool softResettable = true) =>
        AddRegister(offset, new QuadWordRegister(Parent, resetValue));

    public ulong Read(long offset) => (ulong)ReadValue(offset);

    public bool TryRead(long offset, out ulong result)
    {
        var found = TryReadValue(offset, out var value);
        result = (ulong)value;
        return found;
    }

    public void Write(long offset, ulong value) => WriteValue(offset, value);

    public bool TryWrite(long offset, ulong value) => TryWriteValue(offset, value);
}
