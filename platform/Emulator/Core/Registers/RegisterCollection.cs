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

    public void Reset()
    {
        foreach (var register in registers.Values)
        {
            register.Reset();
        }
    }
}
