namespace Emulator.Core.Registers;

/// <summary>A collection of 8-bit registers.</summary>
public sealed class ByteRegisterCollection : RegisterCollection
{
    public ByteRegisterCollection() : base(8)
    {
    }
}
