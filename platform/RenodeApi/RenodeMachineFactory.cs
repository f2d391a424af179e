using Emulator.Core;

namespace Emulator.RenodeApi;

/// <summary>Makes the Renode <c>Machine</c> view of an engine machine (see <see cref="MachineViewAttribute"/>).</summary>
internal sealed class RenodeMachineFactory : IMachineViewFactory
{
    public object Create(Machine machine) => new Antmicro.Renode.Core.Machine(machine);
}
