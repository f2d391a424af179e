using Emulator.Core.Registers;

namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>An engine flag field seen through Renode's interface.</summary>
internal sealed class FlagFieldHandle : IFlagRegisterField
{
    private readonly FlagRegisterField inner;

    public FlagFieldHandle(FlagRegisterField inner)
    {
        this.inner = inner;
    }

    public bool Value
    {
        get => inner.Value;
        set => inner.Value = value;
    }
}
