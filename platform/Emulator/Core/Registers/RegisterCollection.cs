namespace Emulator.Core.Registers;

/// <summary>
/// The registers of a peripheral by offset (Renode's DoubleWordRegisterCollection and friends). A peripheral
/// forwards its bus accesses here; an offset with no register is reported to the caller, who logs it and
/// reads zero, as Renode does for unhandled accesses.
/// </summary>
public class RegisterCollection
{
    private readonly Dictionary<long, PeripheralRegister> registers = new();

    public RegisterCollection(int width)
    {
        Width = width;
    }

    public int Width { get; }

    public IReadOnlyDictionary<long, PeripheralRegister> Registers => registers;

    public PeripheralRegister DefineRegister(long offset, ulong resetValue = 0)
    {
        var register = new PeripheralRegister(Width, resetValue);
        AddRegister(offset, register);
        return register;
    }

    public void AddRegister(long offset, PeripheralRegister register)
    {
        if (register.Width != Width)
        {
            throw new ArgumentException($"a {register.Width}-bit register cannot join a {Width}-bit collection");
        }
        if (!registers.TryAdd(offset, register))
        {
            throw new ArgumentException($"a register is already defined at offset 0x{offset:X}");
        }
    }

    public bool TryRead(long offset, out ulong value)
    {
        if (registers.TryGetValue(offset, out var register))
        {
            value = register.Read();
            return true;
        }
        value = 0;
        return false;
    }

    public bool TryWrite(long offset, ulong value)
    {
        if (registers.TryGetValue(offset, out var register))
        {
            register.Write(value);
            return true;
        }
        return false;
    }

    /// <summary>A bus read: the register's value, or zero plus a warning naming <paramref name="owner"/> for an unhandled offset.</summary>
    public ulong Read(long offset, Machine machine, IPeripheral owner)
    {
        if (TryRead(offset, out var value))
        {
            return value;
        }
        machine.Log.Warning(machine.GetName(owner), $"read from unhandled offset 0x{offset:X}");
        return 0;
    }

    /// <summary>A bus write; an unhandled offset is ignored with a warning naming <paramref name="owner"/>.</summary>
    public void Write(long offset, ulong value, Machine machine, IPeripheral owner)
    {
        if (!TryWrite(offset, value))
        {
            machine.Log.Warning(machine.GetName(owner), $"write of 0x{value:X} to unhandled offset 0x{offset:X}");
        }
    }

    public void Reset()
    {
        foreach (var register in registers.Values)
        {
            register.Reset();
        }
    }
}
