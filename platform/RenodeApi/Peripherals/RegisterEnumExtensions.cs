using Antmicro.Renode.Core.Structure.Registers;

namespace Antmicro.Renode.Peripherals;

/// <summary>
/// Renode's <c>Registers.Control.Define(registers)</c> idiom (an enum member's value is the offset). Renode spreads
/// these over BasicDoubleWordPeripheralExtensions and friends in this namespace; the calls read the same.
/// </summary>
public static class RegisterEnumExtensions
{
    public static DoubleWordRegister Define(this Enum o, DoubleWordRegisterCollection c, uint resetValue = 0, bool softResettable = true, string name = "") =>
        c.DefineRegister(Convert.ToInt64(o, System.Globalization.CultureInfo.InvariantCulture), resetValue, softResettable);

    public static ByteRegister Define(this Enum o, ByteRegisterCollection c, byte resetValue = 0, bool softResettable = true, string name = "") =>
        c.DefineRegister(Convert.ToInt64(o, System.Globalization.CultureInfo.InvariantCulture), resetValue, softResettable);

    public static WordRegister Define(this Enum o, WordRegisterCollection c, ushort resetValue = 0, bool softResettable = true, string name = "") =>
        c.DefineRegister(Convert.ToInt64(o, System.Globalization.CultureInfo.InvariantCulture), resetValue, softResettable);

    public static QuadWordRegister Define(this Enum o, QuadWordRegisterCollection c, ulong resetValue = 0, bool softResettable = true, string name = "") =>
        c.DefineRegister(Convert.ToInt64(o, System.Globalization.CultureInfo.InvariantCulture), resetValue, softResettable);
}
