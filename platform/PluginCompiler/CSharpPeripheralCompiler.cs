using System.Reflection;
using System.Security.Cryptography;
using Emulator.Core;
using Emulator.Monitor;
using Emulator.PlatformDescription;

namespace Emulator.PluginCompiler;

/// <summary>
/// `include @file.cs` as in Renode: the file is compiled as C# 9 against the Renode API layer (and the engine),
/// with EMU_HOST defined, and its public types become usable in .repl files. A file byte-identical to a built-in
/// plugin source (the test finisher) uses the built-in types; a file compiled once is not compiled again.
/// </summary>
public sealed class CSharpPeripheralCompiler : IPeripheralSourceCompiler
{
    private static readonly Dictionary<string, Assembly> CompiledByHash = new(StringComparer.Ordinal);

    public void Include(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmulationException($"{path}: cannot read: {e.Message}");
        }
        var hash = Convert.ToHexString(SHA256.HashData(bytes));
        if (IsBuiltIn(hash))
        {
            return;
        }
        Assembly assembly;
        lock (CompiledByHash)
        {
            if (!CompiledByHash.TryGetValue(hash, out assembly!))
            {
                assembly = RoslynCompilation.Compile(path, bytes, "plugin-" + hash[..16].ToLowerInvariant());
                CompiledByHash[hash] = assembly;
            }
        }
        TypeResolver.AddPluginAssembly(assembly);
    }

    private static bool IsBuiltIn(string hash)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic)
            {
                continue;
            }
            foreach (var attribute in assembly.GetCustomAttributes<PeripheralSourceHashAttribute>())
            {
                if (string.Equals(attribute.Sha256, hash, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
