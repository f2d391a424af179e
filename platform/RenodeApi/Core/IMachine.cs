using Antmicro.Renode.Peripherals;
using MachineViewAttribute = Emulator.Core.MachineViewAttribute;
using Emulator.RenodeApi;

namespace Antmicro.Renode.Core;

/// <summary>
/// The part of Renode's IMachine that peripherals use, with Renode's signatures. A constructor parameter of this
/// type is injected with the machine being built. Members Renode has and this layer lacks fail to compile here,
/// which is the honest answer for a peripheral that needs them.
/// </summary>
[MachineView(typeof(RenodeMachineFactory))]
public interface IMachine : IEmulationElement
{
    /// <summary>Stops this machine at the next slice boundary.</summary>
    void Pause();

    /// <summary>As Renode: pauses the machine and asks the whole emulation to pause (here they are the same).</summary>
    void PauseAndRequestEmulationPause(bool precise = false);

    /// <summary>Resets every peripheral between slices and restores the boot state (entry PC, a0/a1, device tree).</summary>
    void RequestReset();

    void Reset();

    string GetLocalName(IPeripheral peripheral);

    bool TryGetAnyName(IPeripheral peripheral, out string name);

    bool TryGetByName<T>(string name, out T peripheral) where T : class, IPeripheral;

    bool IsRegistered(IPeripheral peripheral);
}
