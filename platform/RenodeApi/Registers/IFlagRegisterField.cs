namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's handle on a one-bit field.</summary>
public interface IFlagRegisterField
{
    bool Value { get; set; }
}
