namespace Emulator.Core.Registers;

/// <summary>
/// A run of bits in a <see cref="PeripheralRegister"/>. The stored value lives here, so a peripheral can keep a
/// handle to the field (Renode's IValueRegisterField/IFlagRegisterField) and read or change it directly.
/// </summary>
public class RegisterField
{
    internal RegisterField(int position, int width, FieldMode mode, string? name)
    {
        if (position < 0 || width <= 0 || position + width > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"field at {position} of width {width} does not fit in 64 bits");
        }
        Position = position;
        Width = width;
        Mode = mode;
        Name = name;
    }

    public int Position { get; }

    public int Width { get; }

    public FieldMode Mode { get; }

    public string? Name { get; }

    public ulong Mask => Width == 64 ? ulong.MaxValue : (1UL << Width) - 1;

    /// <summary>The stored bits (not what a value provider would return).</summary>
    public ulong RawValue { get; set; }

    internal ulong ResetValue { get; set; }

    internal Func<ulong, ulong>? ValueProvider { get; set; }

    internal Action<ulong, ulong>? ReadCallback { get; set; }

    internal Action<ulong, ulong>? WriteCallback { get; set; }

    internal Action<ulong, ulong>? ChangeCallback { get; set; }

    /// <summary>What a bus read sees: the value provider's answer if there is one, else the stored bits.</summary>
    internal ulong ReadValue() => ValueProvider != null ? ValueProvider(RawValue) & Mask : RawValue;

    internal void Write(ulong written)
    {
        var old = RawValue;
        var value = old;
        if ((Mode & FieldMode.Write) != 0)
        {
            value = written;
        }
        else if ((Mode & FieldMode.Set) != 0)
        {
            value = old | written;
        }
        else if ((Mode & FieldMode.Toggle) != 0)
        {
            value = old ^ written;
        }
        else if ((Mode & FieldMode.WriteOneToClear) != 0)
        {
            value = old & ~written;
        }
        else if ((Mode & FieldMode.WriteZeroToClear) != 0)
        {
            value = old & written;
        }
        RawValue = value & Mask;
        // As in Renode, the write callback runs even for read-only fields: peripherals use it as a "was written" hook.
        WriteCallback?.Invoke(old, written & Mask);
        if (old != RawValue)
        {
            ChangeCallback?.Invoke(old, RawValue);
        }
    }
}
