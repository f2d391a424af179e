using Emulator.Core;
using Emulator.PlatformDescription.Syntax;

namespace Emulator.PlatformDescription;

/// <summary>
/// Loads Renode platform descriptions (.repl) into a machine: <c>machine LoadPlatformDescription @file</c>
/// and <c>LoadPlatformDescriptionFromString</c>. Usings are read depth-first, each file once; then every
/// entry is merged, checked and built (see <see cref="CreationDriver"/>). Errors are
/// <see cref="PlatformDescriptionException"/>s whose message is Renode's error text; when one is thrown
/// the machine is as it was. Loading a second file (an overlay such as platform/boards/finisher.repl)
/// adds to the machine, and its entries may update what the first one created.
/// </summary>
public static class PlatformLoader
{
    public static PlatformLoadResult Load(Machine machine, string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new EmulationException($"{path}: no such file");
        }
        var text = ReadFile(path, fullPath);
        return LoadSource(machine, new SourceFile(path, fullPath, text), text);
    }

    /// <summary>
    /// Loads a description given as text. <paramref name="originFile"/> (optional) is the file it stands for:
    /// relative usings are resolved from its directory, and errors name it.
    /// </summary>
    public static PlatformLoadResult LoadFromString(Machine machine, string text, string? originFile = null)
    {
        var source = new SourceFile(originFile ?? "<string>", originFile == null ? null : Path.GetFullPath(originFile), text);
        return LoadSource(machine, source, text);
    }

    private static PlatformLoadResult LoadSource(Machine machine, SourceFile source, string text)
    {
        var files = new List<DescriptionFile>();
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        Collect(source, text, files, loaded, new Stack<string>());
        foreach (var file in loaded)
        {
            if (File.Exists(file))
            {
                machine.NoteInputFile(file);
            }
        }
        return new CreationDriver(machine).Run(files);
    }

    /// <summary>Parses a file and, first, its usings (depth-first, in order), appending each file once.</summary>
    private static void Collect(SourceFile source, string text, List<DescriptionFile> files, HashSet<string> loaded, Stack<string> including)
    {
        var parsed = Parser.Parse(source, text);
        var key = source.Path ?? source.DisplayName;
        including.Push(key);
        var seenHere = new HashSet<string>(StringComparer.Ordinal);
        foreach (var use in parsed.Usings)
        {
            var resolved = ResolveUsing(source, use.Path)
                ?? throw new PlatformDescriptionException(ParsingErrorCode.UsingFileNotFound,
                    $"Using file not found: '{use.Path}'.", use.Position);
            if (!seenHere.Add(resolved))
            {
                throw new PlatformDescriptionException(ParsingErrorCode.DuplicateUsing,
                    $"File '{use.Path}' is used more than once here.", use.Position);
            }
            if (including.Contains(resolved))
            {
                throw new PlatformDescriptionException(ParsingErrorCode.RecurringUsing,
                    $"Recurring using: '{use.Path}' (directly or indirectly) uses the file that uses it.", use.Position);
            }
            if (!loaded.Add(resolved))
            {
                // Already brought in by another file (a diamond): its entries are declared once.
                continue;
            }
            var usedText = ReadFile(use.Path, resolved);
            Collect(new SourceFile(use.Path, resolved, usedText), usedText, files, loaded, including);
        }
        including.Pop();
        loaded.Add(key);
        files.Add(parsed);
    }

    private static string ReadFile(string shownPath, string fullPath)
    {
        try
        {
            return File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmulationException($"{shownPath}: cannot read: {e.Message}");
        }
    }

    /// <summary>
    /// Absolute paths as they are; others relative to the including file's directory, then to the
    /// current directory (Renode also searches its own root, which we do not have).
    /// </summary>
    private static string? ResolveUsing(SourceFile from, string path)
    {
        if (Path.IsPathRooted(path))
        {
            return File.Exists(path) ? Path.GetFullPath(path) : null;
        }
        var candidates = new List<string>();
        if (from.Path != null)
        {
            candidates.Add(Path.Combine(Path.GetDirectoryName(from.Path)!, path));
        }
        candidates.Add(Path.Combine(Directory.GetCurrentDirectory(), path));
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }
        return null;
    }
}
