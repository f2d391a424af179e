using Emulator.Core.Registers;

namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>An engine value field seen through Renode's interface.</summary>
internal sealed class ValueFieldHandle : IValueRegisterField
{
    private readonly ValueRegisterField inner;

    public ValueFieldHandle(ValueRegisterField inner)
    {
        this.inner = inner;
    }

    public ulong Value
    {
        get => inner.Value;
        set => inner.Value = value;
    }

    public int Width => inner.Width;
}
