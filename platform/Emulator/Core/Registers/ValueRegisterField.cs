namespace Emulator.Core.Registers;

/// <summary>A multi-bit field whose stored value the peripheral reads and sets directly.</summary>
public sealed class ValueRegisterField : RegisterField
{
    internal ValueRegisterField(int position, int width, FieldMode mode, string? name) : base(position, width, mode, name)
    {
    }

    public ulong Value
    {
        get => RawValue;
        set => RawValue = value & Mask;
    }
}
