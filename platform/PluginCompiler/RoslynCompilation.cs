using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Emulator.Core;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Emulator.PluginCompiler;

/// <summary>
/// The only code that touches Roslyn, so its assemblies load (and JIT) only when a .cs file is really compiled.
/// Options follow Renode's AdHocCompiler: C# 9, a library, warnings not errors; EMU_HOST is defined here only.
/// </summary>
internal static class RoslynCompilation
{
    private const int MaxErrorsShown = 20;

    /// <summary>Compiles one source file and loads it into the application's assemblies.</summary>
    public static Assembly Compile(string path, byte[] source, string assemblyName)
    {
        using var image = new MemoryStream(Emit(path, source, assemblyName, emulatorHost: true));
        return AssemblyLoadContext.Default.LoadFromStream(image);
    }

    /// <summary>
    /// Compiles one source file to an assembly image without loading it. <paramref name="emulatorHost"/> false
    /// compiles what Renode sees (no EMU_HOST), to check that a plugin's Renode side builds against the API layer.
    /// </summary>
    public static byte[] Emit(string path, byte[] source, string assemblyName, bool emulatorHost)
    {
        var tree = Parse(path, source, emulatorHost);
        var compilation = CSharpCompilation.Create(assemblyName, new[] { tree }, References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error || d.IsWarningAsError)
                .Select(Describe).Distinct().ToList();
            var lines = errors.Take(MaxErrorsShown).ToList();
            if (errors.Count > MaxErrorsShown)
            {
                lines.Add($"... and {errors.Count - MaxErrorsShown} more errors");
            }
            throw new EmulationException($"could not compile {path}:\n" + string.Join("\n", lines));
        }
        return image.ToArray();
    }

    public static SyntaxTree Parse(string path, byte[] source, bool emulatorHost)
    {
        var text = SourceText.From(source, source.Length, Encoding.UTF8, canBeEmbedded: true);
        var parseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.CSharp9);
        if (emulatorHost)
        {
            parseOptions = parseOptions.WithPreprocessorSymbols("EMU_HOST");
        }
        return CSharpSyntaxTree.ParseText(text, parseOptions, path);
    }

    private static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        var where = diagnostic.Location.IsInSource
            ? $"{span.Path}:{span.StartLinePosition.Line + 1}:{span.StartLinePosition.Character + 1}: "
            : "";
        return $"{where}error {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The framework plus every assembly loaded now (engine, Renode API layer, peripherals), one per simple name.</summary>
    private static List<MetadataReference> References()
    {
        foreach (var name in new[] { "Emulator.Peripherals", "Emulator.RenodeApi" })
        {
            try
            {
                Assembly.Load(new AssemblyName(name));
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                // Not shipped next to this host: plugins simply cannot use it.
            }
        }
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!assembly.IsDynamic && assembly.Location.Length > 0)
            {
                byName[Path.GetFileNameWithoutExtension(assembly.Location)] = assembly.Location;
            }
        }
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string platform)
        {
            foreach (var file in platform.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                byName.TryAdd(Path.GetFileNameWithoutExtension(file), file);
            }
        }
        return byName.Values.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    }
}
