using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's ByteRegisterCollection: registers by offset; an offset with none is logged as unhandled and reads 0.</summary>
public sealed class ByteRegisterCollection
{
    private readonly IPeripheral parent;
    private readonly Dictionary<long, ByteRegister> registers = new();

    public ByteRegisterCollection(IPeripheral parent, IDictionary<long, ByteRegister>? registersMap = null)
    {
        this.parent = parent;
        if (registersMap != null)
        {
            foreach (var (offset, register) in registersMap)
            {
                AddRegister(offset, register);
            }
        }
    }

    public ByteRegister DefineRegister(long offset, byte resetValue = default, bool softResettable = true) =>
        AddRegister(offset, new ByteRegister(parent, resetValue));

    public ByteRegister AddRegister(long offset, ByteRegister register)
    {
        if (!registers.TryAdd(offset, register))
        {
            throw new ArgumentException($"a register is already defined at offset 0x{offset:X}", nameof(offset));
        }
        return register;
    }

    public bool HasRegisterAtOffset(long offset) => registers.ContainsKey(offset);

    public byte Read(long offset)
    {
        if (TryRead(offset, out var value))
        {
            return value;
        }
        parent.LogUnhandledRead(offset);
        return 0;
    }

    public bool TryRead(long offset, out byte result)
    {
        if (registers.TryGetValue(offset, out var register))
        {
            result = register.Read();
            return true;
        }
        result = 0;
        return false;
    }

    public void Write(long offset, byte value)
    {
        if (!TryWrite(offset, value))
        {
            parent.LogUnhandledWrite(offset, value);
        }
    }

    public bool TryWrite(long offset, byte value)
    {
        if (registers.TryGetValue(offset, out var register))
        {
            register.Write(offset, value);
            return true;
        }
        return false;
    }

    public void Reset()
    {
        foreach (var register in registers.Values)
        {
            register.Reset();
        }
    }
}
