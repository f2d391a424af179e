using Antmicro.Renode.Logging;
using Antmicro.Renode.Peripherals;

namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>
/// What Renode's four register collections share: registers by offset, an offset with none logged as unhandled
/// (reads 0). The width-specific collections only narrow the values and create their own register type.
/// </summary>
public abstract class RegisterCollectionBase<TRegister>
    where TRegister : PeripheralRegister
{
    private readonly Dictionary<long, TRegister> registers = new();

    protected RegisterCollectionBase(IPeripheral parent, IDictionary<long, TRegister>? registersMap)
    {
        Parent = parent;
        if (registersMap != null)
        {
            foreach (var (offset, register) in registersMap)
            {
                AddRegister(offset, register);
            }
        }
    }

    protected IPeripheral Parent { get; }

    public TRegister AddRegister(long offset, TRegister register)
    {
        if (!registers.TryAdd(offset, register))
        {
            throw new ArgumentException($"a register is already defined at offset 0x{offset:X}", nameof(offset));
        }
        return register;
    }

    public bool HasRegisterAtOffset(long offset) => registers.ContainsKey(offset);

    public void Reset()
    {
        foreach (var register in registers.Values)
        {
            register.Reset();
        }
    }

    protected ulong ReadValue(long offset)
    {
        if (TryReadValue(offset, out var value))
        {
            return value;
        }
        Parent.LogUnhandledRead(offset);
        return 0;
    }

    protected bool TryReadValue(long offset, out ulong result)
    {
        if (registers.TryGetValue(offset, out var register))
        {
            result = register.BusRead();
            return true;
        }
        result = 0;
        return false;
    }

    protected void WriteValue(long offset, ulong value)
    {
        if (!TryWriteValue(offset, value))
        {
            Parent.LogUnhandledWrite(offset, value);
        }
    }

    protected bool TryWriteValue(long offset, ulong value)
    {
        if (registers.TryGetValue(offset, out var register))
        {
            register.BusWrite(value);
            return true;
        }
        return false;
    }
}
