namespace Emulator.Robot;

/// <summary>Resolved arguments of one keyword call: positional values, then `name=value` ones in order.</summary>
public sealed class RobotCallArguments
{
    public RobotCallArguments(IReadOnlyList<object?> positional, IReadOnlyList<KeyValuePair<string, object?>>? named = null)
    {
        Positional = positional;
        Named = named ?? Array.Empty<KeyValuePair<string, object?>>();
    }

    public IReadOnlyList<object?> Positional { get; }

    public IReadOnlyList<KeyValuePair<string, object?>> Named { get; }

    /// <summary>
    /// Turns cells into arguments for <paramref name="keyword"/>: `@{list}` expands, `&amp;{dict}` becomes named
    /// arguments, and `name=value` is named only when the keyword has an argument of that name (as in Robot).
    /// </summary>
    public static RobotCallArguments FromCells(IRobotKeyword keyword, IReadOnlyList<string> cells, RobotVariables variables)
    {
        if (keyword.TakesRawArguments)
        {
            return new RobotCallArguments(cells.Cast<object?>().ToList());
        }
        var positional = new List<object?>();
        var named = new List<KeyValuePair<string, object?>>();
        var acceptsAnyName = keyword.Arguments.Any(a => a.Kind == RobotArgumentKind.KwArgs);
        var first = true;
        foreach (var cell in cells)
        {
            if (first && keyword is RobotMethodKeyword { TakesVariableName: true })
            {
                first = false;
                positional.Add(cell);
                continue;
            }
            first = false;
            if (RobotVariables.IsWholeVariable(cell, '&'))
            {
                var dict = (System.Collections.IDictionary)variables.ResolveReference(cell)!;
                foreach (System.Collections.DictionaryEntry entry in dict)
                {
                    named.Add(new KeyValuePair<string, object?>(RobotValues.ToText(entry.Key), entry.Value));
                }
                continue;
            }
            if (TrySplitNamed(cell, out var name, out var valueText) &&
                (acceptsAnyName || FindArgument(keyword, name) != null))
            {
                var spec = FindArgument(keyword, name);
                named.Add(new KeyValuePair<string, object?>(spec?.Name ?? name, variables.Resolve(valueText)));
                continue;
            }
            if (named.Count > 0)
            {
                throw new RobotKeywordException($"Keyword '{keyword.Name}' got positional argument '{cell}' after named arguments.");
            }
            if (RobotVariables.IsWholeVariable(cell, '@'))
            {
                positional.AddRange(RobotValues.ToList(variables.ResolveReference(cell)));
            }
            else
            {
                positional.Add(variables.Resolve(cell));
            }
        }
        return new RobotCallArguments(positional, named);
    }

    /// <summary>
    /// The same detection for values that arrive already resolved (Remote protocol, `Requires` replay):
    /// a string `name=value` whose name is an argument of the keyword becomes a named argument.
    /// </summary>
    public static RobotCallArguments FromValues(IRobotKeyword keyword, IReadOnlyList<object?> values, IEnumerable<KeyValuePair<string, object?>>? named = null)
    {
        var positional = new List<object?>();
        var namedList = new List<KeyValuePair<string, object?>>();
        foreach (var value in values)
        {
            if (!keyword.TakesRawArguments && value is string s && TrySplitNamed(s, out var name, out var text) && FindArgument(keyword, name) is { } spec)
            {
                namedList.Add(new KeyValuePair<string, object?>(spec.Name, text));
                continue;
            }
            positional.Add(value);
        }
        if (named != null)
        {
            namedList.AddRange(named);
        }
        return new RobotCallArguments(positional, namedList);
    }

    // Robot matches a named argument by its exact name (`timeout=`, not `Timeout=`); anything else is positional.
    private static RobotArgumentSpec? FindArgument(IRobotKeyword keyword, string name) =>
        keyword.Arguments.FirstOrDefault(a => a.Kind == RobotArgumentKind.Scalar && a.Name == name);

    // `env:NAME=value` (Process library) has a colon in the name.
    private static bool TrySplitNamed(string cell, out string name, out string value)
    {
        name = "";
        value = "";
        var eq = cell.IndexOf('=');
        if (eq <= 0 || cell[eq - 1] == '\\')
        {
            return false;
        }
        name = cell.Substring(0, eq);
        value = cell.Substring(eq + 1);
        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_' || c == ' ' || c == ':'))
            {
                return false;
            }
        }
        return true;
    }
}
