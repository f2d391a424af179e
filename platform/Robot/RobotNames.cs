using System.Text;
using System.Text.RegularExpressions;

namespace Emulator.Robot;

/// <summary>Robot's name rules: keywords and variables match ignoring case, spaces and underscores.</summary>
public static class RobotNames
{
    public static string Normalize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c != ' ' && c != '_' && c != '\t')
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }
        return builder.ToString();
    }

    public static bool Same(string a, string b) => Normalize(a) == Normalize(b);

    /// <summary>`WaitForLineOnUart` → `Wait For Line On Uart` (how Renode names C# keyword methods).</summary>
    public static string FromMethodName(string method)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < method.Length; i++)
        {
            var c = method[i];
            if (i > 0 && char.IsUpper(c) && (char.IsLower(method[i - 1]) || (i + 1 < method.Length && char.IsLower(method[i + 1]) && char.IsUpper(method[i - 1]))))
            {
                builder.Append(' ');
            }
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>
    /// Robot's suite name from a file name: extension and an ordering prefix (`01__`) dropped, `_` as space,
    /// and an all-lower-case name title-cased as Python's str.title() does: `lwkt-tests` → `Lwkt-Tests`.
    /// </summary>
    public static string SuiteNameFromPath(string path)
    {
        var name = System.IO.Path.GetFileNameWithoutExtension(path);
        var prefix = name.IndexOf("__", StringComparison.Ordinal);
        if (prefix >= 0)
        {
            name = name.Substring(prefix + 2);
        }
        name = name.Replace('_', ' ').Trim();
        if (name != name.ToLowerInvariant())
        {
            return name;
        }
        var builder = new StringBuilder(name.Length);
        var previousIsLetter = false;
        foreach (var c in name)
        {
            builder.Append(previousIsLetter ? c : char.ToUpperInvariant(c));
            previousIsLetter = char.IsLetter(c);
        }
        return builder.ToString();
    }

    /// <summary>Glob match as Robot uses for tags and `-f`: `*` any run, `?` one char, case and space insensitive.</summary>
    public static bool GlobMatches(string pattern, string text, bool normalize = true)
    {
        if (normalize)
        {
            pattern = Normalize(pattern);
            text = Normalize(text);
        }
        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$";
        return Regex.IsMatch(text, regex, RegexOptions.Singleline);
    }
}
