using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's DoubleWordRegisterCollection: registers by offset; an offset with none is logged as unhandled and reads 0.</summary>
public sealed class DoubleWordRegisterCollection
{
    private readonly IPeripheral parent;
    private readonly Dictionary<long, DoubleWordRegister> registers = new();

    public DoubleWordRegisterCollection(IPeripheral parent, IDictionary<long, DoubleWordRegister>? registersMap = null)
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

    public DoubleWordRegister DefineRegister(long offset, uint resetValue = default, bool softResettable = true) =>
        AddRegister(offset, new DoubleWordRegister(parent, resetValue));

    public DoubleWordRegister AddRegister(long offset, DoubleWordRegister register)
    {
        if (!registers.TryAdd(offset, register))
        {
            throw new ArgumentException($"a register is already defined at offset 0x{offset:X}", nameof(offset));
        }
        return register;
    }

    public bool HasRegisterAtOffset(long offset) => registers.ContainsKey(offset);

    public uint Read(long offset)
    {
        if (TryRead(offset, out var value))
        {
            return value;
        }
        parent.LogUnhandledRead(offset);
        return 0;
    }

    public bool TryRead(long offset, out uint result)
    {
        if (registers.TryGetValue(offset, out var register))
        {
            result = register.Read();
            return true;
        }
        result = 0;
        return false;
    }

    public void Write(long offset, uint value)
    {
        if (!TryWrite(offset, value))
        {
            parent.LogUnhandledWrite(offset, value);
        }
    }

    public bool TryWrite(long offset, uint value)
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
