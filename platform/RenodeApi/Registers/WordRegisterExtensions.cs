namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's fluent register-level callbacks for WordRegister.</summary>
public static class WordRegisterExtensions
{
    public static WordRegister WithReadCallback(this WordRegister register, Action<ushort, ushort> readCallback)
    {
        register.DefineReadCallback(readCallback);
        return register;
    }

    public static WordRegister WithWriteCallback(this WordRegister register, Action<ushort, ushort> writeCallback)
    {
        register.DefineWriteCallback(writeCallback);
        return register;
    }

    public static WordRegister WithChangeCallback(this WordRegister register, Action<ushort, ushort> changeCallback)
    {
        register.DefineChangeCallback(changeCallback);
        return register;
    }
}
