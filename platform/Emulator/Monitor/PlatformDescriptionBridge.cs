using Emulator.PlatformDescription;

namespace Emulator.Monitor;

/// <summary>Hands `.repl` text to the platform loader and runs the `init:` statements it returns.</summary>
internal static class PlatformDescriptionBridge
{
    public static void LoadFile(Monitor monitor, Machine machine, string path) =>
        monitor.RunPlatformStatements(machine, PlatformLoader.Load(machine, path));

    public static void LoadString(Monitor monitor, Machine machine, string text) =>
        monitor.RunPlatformStatements(machine, PlatformLoader.LoadFromString(machine, text));
}
