namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's fluent register-level callbacks for QuadWordRegister.</summary>
public static class QuadWordRegisterExtensions
{
    public static QuadWordRegister WithReadCallback(this QuadWordRegister register, Action<ulong, ulong> readCallback)
    {
        register.DefineReadCallback(readCallback);
        return register;
    }

    public static QuadWordRegister WithWriteCallback(this QuadWordRegister register, Action<ulong, ulong> writeCallback)
    {
        register.DefineWriteCallback(writeCallback);
        return register;
    }

    public static QuadWordRegister WithChangeCallback(this QuadWordRegister register, Action<ulong, ulong> changeCallback)
    {
        register.DefineChangeCallback(changeCallback);
        return register;
    }
}
