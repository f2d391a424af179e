namespace Emulator.Core.Registers;

/// <summary>
/// One register of a peripheral, made of fields defined fluently (Renode's DoubleWordRegister and friends):
/// <c>DefineRegister(0x4).WithFlag(0, out enabled).WithValueField(8, 3, writeCallback: ...)</c>.
/// Bits that belong to no field read as zero and ignore writes.
/// </summary>
public sealed class PeripheralRegister
{
    private readonly List<RegisterField> fields = new();
    private readonly ulong resetValue;
    private Action<ulong, ulong>? readCallback;
    private Action<ulong, ulong>? writeCallback;
    private Action<ulong, ulong>? changeCallback;

    public PeripheralRegister(int width, ulong resetValue = 0)
    {
        if (width is not (8 or 16 or 32 or 64))
        {
            throw new ArgumentOutOfRangeException(nameof(width), "a register is 8, 16, 32 or 64 bits wide");
        }
        Width = width;
        this.resetValue = resetValue;
    }

    public int Width { get; }

    public IReadOnlyList<RegisterField> Fields => fields;

    /// <summary>The stored bits of all fields, without side effects (no callbacks, no read-to-clear).</summary>
    public ulong Value
    {
        get
        {
            ulong value = 0;
            foreach (var registerField in fields)
            {
                value |= registerField.RawValue << registerField.Position;
            }
            return value;
        }
    }

    public PeripheralRegister WithFlag(int position, FieldMode mode = FieldMode.Read | FieldMode.Write,
        Action<bool, bool>? readCallback = null, Action<bool, bool>? writeCallback = null,
        Action<bool, bool>? changeCallback = null, Func<bool, bool>? valueProviderCallback = null, string? name = null)
    {
        return WithFlag(position, out _, mode, readCallback, writeCallback, changeCallback, valueProviderCallback, name);
    }

    public PeripheralRegister WithFlag(int position, out FlagRegisterField flag, FieldMode mode = FieldMode.Read | FieldMode.Write,
        Action<bool, bool>? readCallback = null, Action<bool, bool>? writeCallback = null,
        Action<bool, bool>? changeCallback = null, Func<bool, bool>? valueProviderCallback = null, string? name = null)
    {
        flag = new FlagRegisterField(position, mode, name);
        if (readCallback != null)
        {
            flag.ReadCallback = (o, n) => readCallback(o != 0, n != 0);
        }
        if (writeCallback != null)
        {
            flag.WriteCallback = (o, n) => writeCallback(o != 0, n != 0);
        }
        if (changeCallback != null)
        {
            flag.ChangeCallback = (o, n) => changeCallback(o != 0, n != 0);
        }
        if (valueProviderCallback != null)
        {
            flag.ValueProvider = v => valueProviderCallback(v != 0) ? 1UL : 0UL;
        }
        Add(flag);
        return this;
    }

    public PeripheralRegister WithValueField(int position, int width, FieldMode mode = FieldMode.Read | FieldMode.Write,
        Action<ulong, ulong>? readCallback = null, Action<ulong, ulong>? writeCallback = null,
        Action<ulong, ulong>? changeCallback = null, Func<ulong, ulong>? valueProviderCallback = null, string? name = null)
    {
        return WithValueField(position, width, out _, mode, readCallback, writeCallback, changeCallback, valueProviderCallback, name);
    }

    public PeripheralRegister WithValueField(int position, int width, out ValueRegisterField field, FieldMode mode = FieldMode.Read | FieldMode.Write,
        Action<ulong, ulong>? readCallback = null, Action<ulong, ulong>? writeCallback = null,
        Action<ulong, ulong>? changeCallback = null, Func<ulong, ulong>? valueProviderCallback = null, string? name = null)
    {
        field = new ValueRegisterField(position, width, mode, name)
        {
            ReadCallback = readCallback,
            WriteCallback = writeCallback,
            ChangeCallback = changeCallback,
            ValueProvider = valueProviderCallback,
        };
        Add(field);
        return this;
    }

    /// <summary>Bits that read as zero and ignore writes; named so a register map reads like the datasheet.</summary>
    public PeripheralRegister WithReservedBits(int position, int width)
    {
        if (position < 0 || width <= 0 || position + width > Width)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"reserved bits {position}+{width} do not fit in a {Width}-bit register");
        }
        return this;
    }

    /// <summary>Called after every read with (value before the read's side effects, value returned).</summary>
    public PeripheralRegister WithReadCallback(Action<ulong, ulong> callback)
    {
        readCallback += callback;
        return this;
    }

    /// <summary>Called after every write with (old value, new value).</summary>
    public PeripheralRegister WithWriteCallback(Action<ulong, ulong> callback)
    {
        writeCallback += callback;
        return this;
    }

    /// <summary>Called after a write that changed the stored value, with (old value, new value).</summary>
    public PeripheralRegister WithChangeCallback(Action<ulong, ulong> callback)
    {
        changeCallback += callback;
        return this;
    }

    public ulong Read()
    {
        var old = Value;
        ulong value = 0;
        foreach (var field in fields)
        {
            value |= field.ReadValue() << field.Position;
        }
        foreach (var field in fields)
        {
            field.ReadCallback?.Invoke(field.RawValue, (value >> field.Position) & field.Mask);
            if ((field.Mode & FieldMode.ReadToClear) != 0)
            {
                field.RawValue = 0;
            }
        }
        readCallback?.Invoke(old, value);
        return value;
    }

    public void Write(ulong value)
    {
        var old = Value;
        foreach (var field in fields)
        {
            field.Write((value >> field.Position) & field.Mask);
        }
        var now = Value;
        writeCallback?.Invoke(old, now);
        if (now != old)
        {
            changeCallback?.Invoke(old, now);
        }
    }

    public void Reset()
    {
        foreach (var field in fields)
        {
            field.RawValue = (resetValue >> field.Position) & field.Mask;
        }
    }

    private void Add(RegisterField field)
    {
        if (field.Position + field.Width > Width)
        {
            throw new ArgumentOutOfRangeException(nameof(field), $"field {field.Name ?? "?"} at bit {field.Position} does not fit in a {Width}-bit register");
        }
        foreach (var other in fields)
        {
            if (field.Position < other.Position + other.Width && other.Position < field.Position + field.Width)
            {
                throw new ArgumentException($"field {field.Name ?? "?"} at bit {field.Position} overlaps field {other.Name ?? "?"} at bit {other.Position}");
            }
        }
        field.RawValue = (resetValue >> field.Position) & field.Mask;
        fields.Add(field);
    }
}
