using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Emulator.Robot;

/// <summary>
/// Reads renode-test's tests.yaml: a list whose items are a suite path (runs on its own), a `group:` list
/// (suites run one after another in one worker), or `!include {path: other.yaml, prefix: dir}`. Paths are
/// relative to the yaml file (falling back to the current directory, where Renode's paths are rooted).
/// `.csproj` entries (NUnit in Renode) are skipped: NUnit runs through `dotnet test`.
/// </summary>
public static class RobotTestsYaml
{
    public static List<List<string>> Load(string path) => Load(path, "", new HashSet<string>(StringComparer.Ordinal));

    private static List<List<string>> Load(string path, string prefix, HashSet<string> including)
    {
        var full = Path.GetFullPath(path);
        if (!including.Add(full))
        {
            throw new RobotSyntaxException(new RobotSourceLocation(path, 0), "tests.yaml includes itself");
        }
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RobotSyntaxException(new RobotSourceLocation(path, 0), $"cannot read the file: {e.Message}");
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new RobotSyntaxException(new RobotSourceLocation(path, (int)e.Start.Line), $"invalid YAML: {e.Message}");
        }
        var groups = new List<List<string>>();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            including.Remove(full);
            return groups;
        }
        if (stream.Documents[0].RootNode is not YamlSequenceNode root)
        {
            throw new RobotSyntaxException(new RobotSourceLocation(path, (int)stream.Documents[0].RootNode.Start.Line), "tests.yaml must be a list");
        }
        var baseDirectory = Path.GetDirectoryName(full) ?? ".";
        foreach (var item in root.Children)
        {
            var location = new RobotSourceLocation(path, (int)item.Start.Line);
            if (!item.Tag.IsEmpty && !item.Tag.IsNonSpecific && item.Tag.Value == "!include")
            {
                if (item is not YamlMappingNode include || !TryGetScalar(include, "path", out var includePath))
                {
                    throw new RobotSyntaxException(location, "!include needs a mapping with 'path'");
                }
                TryGetScalar(include, "prefix", out var includePrefix);
                var resolved = Resolve(baseDirectory, prefix, includePath);
                groups.AddRange(Load(resolved, CombinePrefix(prefix, includePrefix), including));
                continue;
            }
            switch (item)
            {
                case YamlScalarNode scalar when !string.IsNullOrWhiteSpace(scalar.Value):
                    if (!IsNUnit(scalar.Value!))
                    {
                        groups.Add(new List<string> { Resolve(baseDirectory, prefix, scalar.Value!) });
                    }
                    break;
                case YamlMappingNode mapping when mapping.Children.Count == 1 && mapping.Children.First().Key is YamlScalarNode { Value: "group" }:
                {
                    if (mapping.Children.First().Value is not YamlSequenceNode members)
                    {
                        throw new RobotSyntaxException(location, "'group:' must be followed by a list of suites");
                    }
                    var group = new List<string>();
                    foreach (var member in members.Children)
                    {
                        if (member is not YamlScalarNode { Value: { } value } || string.IsNullOrWhiteSpace(value))
                        {
                            throw new RobotSyntaxException(new RobotSourceLocation(path, (int)member.Start.Line), "group members must be suite paths");
                        }
                        if (!IsNUnit(value))
                        {
                            group.Add(Resolve(baseDirectory, prefix, value));
                        }
                    }
                    if (group.Count > 0)
                    {
                        groups.Add(group);
                    }
                    break;
                }
                default:
                    throw new RobotSyntaxException(location, "expected a suite path, a 'group:' list or an !include");
            }
        }
        including.Remove(full);
        return groups;
    }

    private static bool IsNUnit(string entry) => entry.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase);

    private static string CombinePrefix(string prefix, string? more) =>
        string.IsNullOrEmpty(more) ? prefix : string.IsNullOrEmpty(prefix) ? more : Path.Combine(prefix, more);

    private static string Resolve(string baseDirectory, string prefix, string entry)
    {
        var relative = string.IsNullOrEmpty(prefix) ? entry : Path.Combine(prefix, entry);
        if (Path.IsPathRooted(relative))
        {
            return relative;
        }
        var nextToYaml = Path.Combine(baseDirectory, relative);
        if (File.Exists(nextToYaml) || !File.Exists(relative))
        {
            return Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.GetFullPath(nextToYaml));
        }
        return relative;
    }

    private static bool TryGetScalar(YamlMappingNode mapping, string key, out string value)
    {
        foreach (var (k, v) in mapping.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && name == key && v is YamlScalarNode { Value: { } text })
            {
                value = text;
                return true;
            }
        }
        value = "";
        return false;
    }
}
