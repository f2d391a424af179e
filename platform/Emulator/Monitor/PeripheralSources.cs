using Emulator.Core;

namespace Emulator.Monitor;

/// <summary>
/// Where `include @file.cs` goes. The compiler (Roslyn) lives outside the engine, in Emulator.PluginCompiler.dll
/// next to the emulator, and is looked up only when a .cs file is included, so a session that includes none never
/// loads it. A host may also set <see cref="Compiler"/> itself.
/// </summary>
public static class PeripheralSources
{
    private const string DefaultCompilerType = "Emulator.PluginCompiler.CSharpPeripheralCompiler, Emulator.PluginCompiler";
    private static readonly object Sync = new();
    private static IPeripheralSourceCompiler? compiler;

    public static IPeripheralSourceCompiler? Compiler
    {
        get
        {
            lock (Sync)
            {
                return compiler;
            }
        }
        set
        {
            lock (Sync)
            {
                compiler = value;
            }
        }
    }

    public static void Include(string path)
    {
        IPeripheralSourceCompiler current;
        lock (Sync)
        {
            compiler ??= LoadDefault();
            current = compiler;
        }
        current.Include(path);
    }

    private static IPeripheralSourceCompiler LoadDefault()
    {
        var type = Type.GetType(DefaultCompilerType, throwOnError: false)
            ?? throw new EmulationException("cannot compile C# peripherals: Emulator.PluginCompiler.dll is not next to the emulator");
        return (IPeripheralSourceCompiler)Activator.CreateInstance(type)!;
    }
}
