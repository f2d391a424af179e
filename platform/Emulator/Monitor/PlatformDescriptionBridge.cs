namespace Emulator.Monitor;

/// <summary>Hands `.repl` text to the platform loader and runs the `init:` statements it returns.</summary>
internal static class PlatformDescriptionBridge
{
    public static void LoadFile(Monitor monitor, Machine machine, string path) =>
        throw new MonitorException($"cannot load {Path.GetFileName(path)}: the platform loader is not part of this build yet");

    public static void LoadString(Monitor monitor, Machine machine, string text) =>
        throw new MonitorException("cannot load a platform description: the platform loader is not part of this build yet");
}
