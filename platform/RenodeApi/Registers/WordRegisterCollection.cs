using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's WordRegisterCollection: registers by offset; an offset with none is logged as unhandled and reads 0.</summary>
public sealed class WordRegisterCollection : RegisterCollectionBase<WordRegister>
{
    public WordRegisterCollection(IPeripheral parent, IDictionary<long, WordRegister>? registersMap = null) : base(parent, registersMap)
    {
    }

    public WordRegister DefineRegister(long offset, ushort resetValue = default, bool softResettable = true) =>
        AddRegister(offset, new WordRegister(Parent, resetValue));

    public ushort Read(long offset) => (ushort)ReadValue(offset);

    public bool TryRead(long offset, out ushort result)
    {
        var found = TryReadValue(offset, out var value);
        result = (ushort)value;
        return found;
    }

    public void Write(long offset, ushort value) => WriteValue(offset, value);

    public bool TryWrite(long offset, ushort value) => TryWriteValue(offset, value);
}
