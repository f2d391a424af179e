namespace Emulator.Core.Registers;

/// <summary>Renode's <c>Registers.Status.Define(collection)</c> idiom: an enum member's value is its offset.</summary>
public static class RegisterEnumExtensions
{
    public static PeripheralRegister Define(this Enum register, RegisterCollection collection, ulong resetValue = 0)
    {
        return collection.DefineRegister(Convert.ToInt64(register, System.Globalization.CultureInfo.InvariantCulture), resetValue);
    }
}
