namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's fluent register-level callbacks for ByteRegister.</summary>
public static class ByteRegisterExtensions
{
    public static ByteRegister WithReadCallback(this ByteRegister register, Action<byte, byte> readCallback)
    {
        register.DefineReadCallback(readCallback);
        return register;
    }

    public static ByteRegister WithWriteCallback(this ByteRegister register, Action<byte, byte> writeCallback)
    {
        register.DefineWriteCallback(writeCallback);
        return register;
    }

    public static ByteRegister WithChangeCallback(this ByteRegister register, Action<byte, byte> changeCallback)
    {
        register.DefineChangeCallback(changeCallback);
        return register;
    }
}
