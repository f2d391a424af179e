using System.Reflection;

namespace Emulator.PlatformDescription;

/// <summary>
/// Finds the C# type for a .repl type name by its suffix, as Renode does: <c>UART.NS16550</c> (with or without
/// <c>Antmicro.Renode.Peripherals.</c>) matches a public type whose full name ends with
/// <c>Peripherals.UART.NS16550</c>; a full name matches exactly. Searches the loaded assemblies built against the
/// emulator, after
/// loading the emulator's own assemblies from the application directory so peripherals are found even if
/// nothing referenced them yet.
/// </summary>
public static class TypeResolver
{
    private const string RenodePrefix = "Antmicro.Renode.Peripherals.";
    private static readonly object Sync = new();
    private static bool assembliesLoaded;
    private static readonly List<Assembly> pluginAssemblies = new();
    private static readonly string EngineAssemblyName = typeof(TypeResolver).Assembly.GetName().Name!;
    private static readonly HashSet<Assembly> scannedAssemblies = new();
    private static readonly List<Type> peripheralAssemblyTypes = new();
    private static IReadOnlyList<Type>? cachedTypes;
    private static int cachedAssemblyCount;

    public static IReadOnlyList<Type> FindCandidates(string name)
    {
        var shortName = name.StartsWith(RenodePrefix, StringComparison.Ordinal) ? name[RenodePrefix.Length..] : name;
        // A peripheral compiled at run time (`include @file.cs`) wins over a built-in one of the same name, and a
        // later include over an earlier one, so editing a built-in plugin's source and including it takes effect.
        Assembly[] plugins;
        lock (Sync)
        {
            plugins = pluginAssemblies.ToArray();
        }
        for (var i = plugins.Length - 1; i >= 0; i--)
        {
            var fromPlugin = Match(plugins[i].GetExportedTypes().Where(t => t.FullName != null && !t.IsNested), name, shortName);
            if (fromPlugin.Count > 0)
            {
                return fromPlugin;
            }
        }
        return Match(AllTypes().Where(t => !plugins.Contains(t.Assembly)), name, shortName);
    }

    /// <summary>Registers an assembly compiled at run time; its types are preferred from now on.</summary>
    public static void AddPluginAssembly(Assembly assembly)
    {
        lock (Sync)
        {
            pluginAssemblies.Remove(assembly);
            pluginAssemblies.Add(assembly);
        }
    }

    private static IReadOnlyList<Type> Match(IEnumerable<Type> types, string name, string shortName)
    {
        var exact = new List<Type>();
        var suffix = new List<Type>();
        foreach (var type in types)
        {
            var fullName = type.FullName!;
            if (fullName == name)
            {
                exact.Add(type);
            }
            else if (fullName.EndsWith(".Peripherals." + shortName, StringComparison.Ordinal))
            {
                suffix.Add(type);
            }
        }
        return exact.Count > 0 ? exact : suffix;
    }

    /// <summary>
    /// Public top-level types of the loaded assemblies that can hold a peripheral, each assembly scanned once. Only
    /// the emulator's assemblies and those built against them qualify (a peripheral implements the emulator's
    /// interfaces): scanning the framework's and the compiler's assemblies too cost a fifth of a second at every
    /// start-up, and again whenever another assembly had loaded since the last look-up.
    /// </summary>
    private static IReadOnlyList<Type> AllTypes()
    {
        EnsureAssembliesLoaded();
        var assemblies = AppDomain.CurrentDomain.GetAssemblies();
        lock (Sync)
        {
            if (cachedTypes != null && cachedAssemblyCount == assemblies.Length)
            {
                return cachedTypes;
            }
            foreach (var assembly in assemblies)
            {
                if (assembly.IsDynamic || !scannedAssemblies.Add(assembly) || !MayHoldPeripherals(assembly))
                {
                    continue;
                }
                try
                {
                    peripheralAssemblyTypes.AddRange(assembly.GetExportedTypes().Where(t => t.FullName != null && !t.IsNested));
                }
                catch (Exception)
                {
                    // An assembly whose types cannot all be loaded cannot hold a peripheral we can build.
                }
            }
            cachedTypes = peripheralAssemblyTypes.ToArray();
            cachedAssemblyCount = assemblies.Length;
            return cachedTypes;
        }
    }

    /// <summary>An emulator assembly, or one that references an emulator assembly (the engine, or the Renode API layer).</summary>
    private static bool MayHoldPeripherals(Assembly assembly)
    {
        if (IsEmulatorAssembly(assembly.GetName()))
        {
            return true;
        }
        foreach (var reference in assembly.GetReferencedAssemblies())
        {
            if (IsEmulatorAssembly(reference))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsEmulatorAssembly(AssemblyName name) =>
        name.Name != null && (name.Name == EngineAssemblyName || name.Name.StartsWith(EngineAssemblyName + ".", StringComparison.Ordinal));

    private static void EnsureAssembliesLoaded()
    {
        lock (Sync)
        {
            if (assembliesLoaded)
            {
                return;
            }
            assembliesLoaded = true;
            var loaded = new HashSet<string>(AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? ""), StringComparer.Ordinal);
            var directory = AppContext.BaseDirectory;
            if (!Directory.Exists(directory))
            {
                return;
            }
            foreach (var file in Directory.EnumerateFiles(directory, "Emulator*.dll"))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (loaded.Contains(name) || name.EndsWith(".Tests", StringComparison.Ordinal))
                {
                    continue;
                }
                try
                {
                    Assembly.Load(new AssemblyName(name));
                }
                catch (Exception)
                {
                    // Not loadable here (another target, a satellite): its types are simply not offered.
                }
            }
        }
    }
}
