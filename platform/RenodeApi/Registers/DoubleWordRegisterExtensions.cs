namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's fluent register-level callbacks for DoubleWordRegister.</summary>
public static class DoubleWordRegisterExtensions
{
    public static DoubleWordRegister WithReadCallback(this DoubleWordRegister register, Action<uint, uint> readCallback)
    {
        register.DefineReadCallback(readCallback);
        return register;
    }

    public static DoubleWordRegister WithWriteCallback(this DoubleWordRegister register, Action<uint, uint> writeCallback)
    {
        register.DefineWriteCallback(writeCallback);
        return register;
    }

    public static DoubleWordRegister WithChangeCallback(this DoubleWordRegister register, Action<uint, uint> changeCallback)
    {
        register.DefineChangeCallback(changeCallback);
        return register;
    }
}
