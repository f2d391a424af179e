namespace Emulator.Core.Registers;

/// <summary>A collection of 32-bit registers.</summary>
public sealed class DoubleWordRegisterCollection : RegisterCollection
{
    public DoubleWordRegisterCollection() : base(32)
    {
    }
}
