namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's fluent register definitions, with Renode's parameter names, order and defaults.</summary>
public static class PeripheralRegisterExtensions
{
    public static T WithFlag<T>(this T register, int position, FieldMode mode = FieldMode.Read | FieldMode.Write,
        Action<bool, bool>? readCallback = null, Action<bool, bool>? writeCallback = null, Action<bool, bool>? changeCallback = null,
        Func<bool, bool>? valueProviderCallback = null, bool softResettable = true, string? name = null) where T : PeripheralRegister
    {
        register.DefineFlagField(position, mode, readCallback, writeCallback, changeCallback, valueProviderCallback, softResettable, name);
        return register;
    }

    public static T WithFlag<T>(this T register, int position, out IFlagRegisterField flagField, FieldMode mode = FieldMode.Read | FieldMode.Write,
        Action<bool, bool>? readCallback = null, Action<bool, bool>? writeCallback = null, Action<bool, bool>? changeCallback = null,
        Func<bool, bool>? valueProviderCallback = null, bool softResettable = true, string? name = null) where T : PeripheralRegister
    {
        flagField = register.DefineFlagField(position, mode, readCallback, writeCallback, changeCallback, valueProviderCallback, softResettable, name);
        return register;
    }

    public static T WithValueField<T>(this T register, int position, int width, FieldMode mode = FieldMode.Read | FieldMode.Write,
        Action<ulong, ulong>? readCallback = null, Action<ulong, ulong>? writeCallback = null, Action<ulong, ulong>? changeCallback = null,
        Func<ulong, ulong>? valueProviderCallback = null, bool softResettable = true, string? name = null) where T : PeripheralRegister
    {
        register.DefineValueField(position, width, mode, readCallback, writeCallback, changeCallback, valueProviderCallback, softResettable, name);
        return register;
    }

    public static T WithValueField<T>(this T register, int position, int width, out IValueRegisterField valueField, FieldMode mode = FieldMode.Read | FieldMode.Write,
        Action<ulong, ulong>? readCallback = null, Action<ulong, ulong>? writeCallback = null, Action<ulong, ulong>? changeCallback = null,
        Func<ulong, ulong>? valueProviderCallback = null, bool softResettable = true, string? name = null) where T : PeripheralRegister
    {
        valueField = register.DefineValueField(position, width, mode, readCallback, writeCallback, changeCallback, valueProviderCallback, softResettable, name);
        return register;
    }

    public static T WithTag<T>(this T register, string name, int position, int width) where T : PeripheralRegister
    {
        register.Tag(name, position, width);
        return register;
    }

    public static T WithTaggedFlag<T>(this T register, string name, int position) where T : PeripheralRegister
    {
        register.Tag(name, position, 1);
        return register;
    }

    public static T WithReservedBits<T>(this T register, int position, int width, uint? allowedValue = null) where T : PeripheralRegister
    {
        register.Reserved(position, width, allowedValue);
        return register;
    }

    public static T WithIgnoredBits<T>(this T register, int position, int width) where T : PeripheralRegister =>
        register.WithValueField(position, width, name: "ignored");
}
