using System.Text.RegularExpressions;

namespace Emulator.Robot;

/// <summary>
/// Finds keywords by name as Robot does: case, spaces and underscores ignored; user keywords (suite
/// first, then resources in import order) before library keywords; `Library.Keyword` prefixes accepted;
/// embedded arguments (`Boot On ${harts} Harts`) matched by pattern.
/// </summary>
public sealed class RobotKeywordRegistry
{
    private readonly List<RobotUserKeyword> userKeywords = new();
    private readonly Dictionary<string, IRobotKeyword> libraryKeywords = new();
    private readonly List<IRobotKeyword> libraryOrder = new();

    public IReadOnlyList<IRobotKeyword> LibraryKeywords => libraryOrder;

    public IReadOnlyList<RobotUserKeyword> UserKeywords => userKeywords;

    public void AddUserKeywords(IEnumerable<RobotUserKeyword> keywords) => userKeywords.AddRange(keywords);

    /// <summary>Adds library keywords; an earlier library wins on a name clash.</summary>
    public void AddLibrary(IEnumerable<IRobotKeyword> keywords)
    {
        foreach (var keyword in keywords)
        {
            var key = RobotNames.Normalize(keyword.Name);
            if (libraryKeywords.TryAdd(key, keyword))
            {
                libraryOrder.Add(keyword);
            }
        }
    }

    public IRobotKeyword? Find(string name)
    {
        var key = RobotNames.Normalize(name);
        foreach (var keyword in userKeywords)
        {
            if (keyword.EmbeddedArguments.Count == 0 && RobotNames.Normalize(keyword.Name) == key)
            {
                return new RobotUserKeywordHandler(keyword, Array.Empty<string>());
            }
        }
        foreach (var keyword in userKeywords)
        {
            if (keyword.EmbeddedArguments.Count > 0)
            {
                var match = EmbeddedPattern(keyword.Name).Match(name);
                if (match.Success)
                {
                    return new RobotUserKeywordHandler(keyword, match.Groups.Cast<Group>().Skip(1).Select(g => g.Value).ToArray());
                }
            }
        }
        if (libraryKeywords.TryGetValue(key, out var library))
        {
            return library;
        }
        var dot = name.LastIndexOf('.');
        if (dot > 0 && dot < name.Length - 1)
        {
            return Find(name.Substring(dot + 1));
        }
        return null;
    }

    private static Regex EmbeddedPattern(string keywordName)
    {
        var pattern = new System.Text.StringBuilder("^");
        var last = 0;
        foreach (Match m in Regex.Matches(keywordName, @"\$\{([^}:]+)(?::([^}]*))?\}"))
        {
            pattern.Append(Regex.Escape(keywordName.Substring(last, m.Index - last)));
            pattern.Append(m.Groups[2].Success ? "(" + m.Groups[2].Value + ")" : "(.*?)");
            last = m.Index + m.Length;
        }
        pattern.Append(Regex.Escape(keywordName.Substring(last))).Append('$');
        return new Regex(pattern.ToString(), RegexOptions.IgnoreCase);
    }
}
