using Antmicro.Renode.Peripherals;
using EngineFieldMode = Emulator.Core.Registers.FieldMode;
using EngineRegister = Emulator.Core.Registers.PeripheralRegister;

namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>
/// Renode's PeripheralRegister over the engine's register: fields, modes and field callbacks are the engine's;
/// the register-level read/write/change callbacks follow Renode (a write callback gets the value written).
/// </summary>
public abstract class PeripheralRegister
{
    private readonly List<Action<ulong, ulong>> readCallbacks = new();
    private readonly List<Action<ulong, ulong>> writeCallbacks = new();
    private readonly List<Action<ulong, ulong>> changeCallbacks = new();

    protected PeripheralRegister(IPeripheral? parent, ulong resetValue, int width)
    {
        Parent = parent;
        Inner = new EngineRegister(width, resetValue);
    }

    public int RegisterWidth => Inner.Width;

    internal IPeripheral? Parent { get; }

    internal EngineRegister Inner { get; }

    protected ulong UnderlyingValue => Inner.Value;

    public void Reset() => Inner.Reset();

    public IValueRegisterField DefineValueField(int position, int width, FieldMode mode = FieldMode.Read | FieldMode.Write,
        Action<ulong, ulong>? readCallback = null, Action<ulong, ulong>? writeCallback = null, Action<ulong, ulong>? changeCallback = null,
        Func<ulong, ulong>? valueProviderCallback = null, bool softResettable = true, string? name = null)
    {
        Inner.WithValueField(position, width, out var field, (EngineFieldMode)mode, readCallback, writeCallback, changeCallback, valueProviderCallback, name);
        return new ValueFieldHandle(field);
    }

    public IFlagRegisterField DefineFlagField(int position, FieldMode mode = FieldMode.Read | FieldMode.Write,
        Action<bool, bool>? readCallback = null, Action<bool, bool>? writeCallback = null, Action<bool, bool>? changeCallback = null,
        Func<bool, bool>? valueProviderCallback = null, bool softResettable = true, string? name = null)
    {
        Inner.WithFlag(position, out var flag, (EngineFieldMode)mode, readCallback, writeCallback, changeCallback, valueProviderCallback, name);
        return new FlagFieldHandle(flag);
    }

    /// <summary>Bits the model does not implement: they read as zero and ignore writes.</summary>
    public void Tag(string? name, int position, int width) => Inner.WithReservedBits(position, width);

    public void Reserved(int position, int width, uint? allowedValue = null) => Inner.WithReservedBits(position, width);

    protected void AddReadCallback(Action<ulong, ulong> callback) => readCallbacks.Add(callback);

    protected void AddWriteCallback(Action<ulong, ulong> callback) => writeCallbacks.Add(callback);

    protected void AddChangeCallback(Action<ulong, ulong> callback) => changeCallbacks.Add(callback);

    /// <summary>A bus access from a register collection, at the register's full width.</summary>
    internal ulong BusRead() => ReadInner();

    internal void BusWrite(ulong value) => WriteInner(value);

    protected ulong ReadInner()
    {
        var old = Inner.Value;
        var value = Inner.Read();
        foreach (var callback in readCallbacks)
        {
            callback(old, value);
        }
        var now = Inner.Value;
        if (now != old)
        {
            foreach (var callback in changeCallbacks)
            {
                callback(old, now);
            }
        }
        return value;
    }

    protected void WriteInner(ulong value)
    {
        var old = Inner.Value;
        Inner.Write(value);
        foreach (var callback in writeCallbacks)
        {
            callback(old, value);
        }
        var now = Inner.Value;
        if (now != old)
        {
            foreach (var callback in changeCallbacks)
            {
                callback(old, now);
            }
        }
    }
}
