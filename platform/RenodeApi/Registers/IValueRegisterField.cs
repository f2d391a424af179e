namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's handle on a multi-bit field: the peripheral reads and sets its stored value directly.</summary>
public interface IValueRegisterField
{
    ulong Value { get; set; }

    int Width { get; }
}
