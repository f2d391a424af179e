using Antmicro.Renode.Core;

namespace Emulator.RenodeApi;

/// <summary>
/// What this emulator adds to Renode's API for peripherals that also run here. Renode has none of it, so plugin
/// sources use it only inside <c>#if EMU_HOST</c> (defined when this emulator builds or includes a peripheral).
/// </summary>
public static class EmulatorMachineExtensions
{
    /// <summary>The engine machine behind a Renode <c>IMachine</c>.</summary>
    public static Emulator.Machine Engine(this IMachine machine) => ((Antmicro.Renode.Core.Machine)machine).Engine;

    /// <summary>Ends the run with <paramref name="exitCode"/> (what `emu run` exits with), as the guest's poweroff does.</summary>
    public static void RequestExit(this IMachine machine, int exitCode, string message) =>
        machine.Engine().RequestExit(exitCode, message);
}
