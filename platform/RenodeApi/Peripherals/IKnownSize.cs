using Antmicro.Renode.Peripherals.Bus;

namespace Antmicro.Renode.Peripherals;

/// <summary>Renode's IKnownSize: how much address space a bus peripheral registered at one address takes.</summary>
public interface IKnownSize : IBusPeripheral, Emulator.Core.IKnownSize
{
}
