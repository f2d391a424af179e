using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's ByteRegisterCollection: registers by offset; an offset with none is logged as unhandled and reads 0.</summary>
public sealed class ByteRegisterCollection : RegisterCollectionBase<ByteRegister>
{
    public ByteRegisterCollection(IPeripheral parent, IDictionary<long, ByteRegister>? registersMap = null) : base(parent, registersMap)
    {
    }

    public ByteRegister DefineRegister(long offset, byte resetValue = default, bool softResettable = true) =>
        AddRegister(offset, new ByteRegister(Parent, resetValue));

    public byte Read(long offset) => (byte)ReadValue(offset);

    public bool TryRead(long offset, out byte result)
    {
        var found = TryReadValue(offset, out var value);
        result = (byte)value;
        return found;
    }

    public void Write(long offset, byte value) => WriteValue(offset, value);

    public bool TryWrite(long offset, byte value) => TryWriteValue(offset, value);
}
