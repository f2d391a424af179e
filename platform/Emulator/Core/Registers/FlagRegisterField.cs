namespace Emulator.Core.Registers;

/// <summary>A one-bit field whose stored value the peripheral reads and sets directly.</summary>
public sealed class FlagRegisterField : RegisterField
{
    internal FlagRegisterField(int position, FieldMode mode, string? name) : base(position, 1, mode, name)
    {
    }

    public bool Value
    {
        get => RawValue != 0;
        set => RawValue = value ? 1UL : 0UL;
    }
}
