namespace Emulator.Core;

/// <summary>Makes the object that represents a machine in another API (see <see cref="MachineViewAttribute"/>).</summary>
public interface IMachineViewFactory
{
    object Create(Machine machine);
}
