using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's WordRegisterCollection: registers by offset; an offset with none is logged as unhandled and reads 0.</summary>
public sealed class WordRegisterCollection
{
    private readonly IPeripheral parent;
    private readonly Dictionary<long, WordRegister> registers = new();

    public WordRegisterCollection(IPeripheral parent, IDictionary<long, WordRegister>? registersMap = null)
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

    public WordRegister DefineRegister(long offset, ushort resetValue = default, bool softResettable = true) =>
        AddRegister(offset, new WordRegister(parent, resetValue));

    public WordRegister AddRegister(long offset, WordRegister register)
    {
        if (!registers.TryAdd(offset, register))
        {
            throw new ArgumentException($"a register is already defined at offset 0x{offset:X}", nameof(offset));
        }
        return register;
    }

    public bool HasRegisterAtOffset(long offset) => registers.ContainsKey(offset);

    public ushort Read(long offset)
    {
        if (TryRead(offset, out var value))
        {
            return value;
        }
        parent.LogUnhandledRead(offset);
        return 0;
    }

    public bool TryRead(long offset, out ushort result)
    {
        if (registers.TryGetValue(offset, out var register))
        {
            result = register.Read();
            return true;
        }
        result = 0;
        return false;
    }

    public void Write(long offset, ushort value)
    {
        if (!TryWrite(offset, value))
        {
            parent.LogUnhandledWrite(offset, value);
        }
    }

    public bool TryWrite(long offset, ushort value)
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
