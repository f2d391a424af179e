namespace Antmicro.Renode.Core;

/// <summary>Renode's marker for anything that can log (<c>this.Log(...)</c>): peripherals and the machine.</summary>
public interface IEmulationElement
{
}
