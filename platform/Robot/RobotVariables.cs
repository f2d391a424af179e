using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Emulator.Robot;

/// <summary>
/// One variable scope (global, suite, test or keyword-local) chained to its parent, and Robot's variable
/// syntax on top of it: `${x}`, `@{list}`, `&amp;{dict}`, `%{ENV}`, item access `${x}[0]`, extended
/// syntax `${r.groups[0]}` / `${i + 1}`, numbers `${1}`, and backslash escapes.
/// </summary>
public sealed class RobotVariables
{
    private static readonly Regex NumberBody = new(@"^[+-]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|[0-9][0-9_]*)$", RegexOptions.Compiled);
    private static readonly Regex FloatBody = new(@"^[+-]?[0-9]*\.[0-9]+([eE][+-]?[0-9]+)?$|^[+-]?[0-9]+[eE][+-]?[0-9]+$", RegexOptions.Compiled);
    private readonly Dictionary<string, object?> values = new();
    private readonly Dictionary<string, string> displayNames = new();

    public RobotVariables(RobotVariables? parent = null)
    {
        Parent = parent;
    }

    public RobotVariables? Parent { get; }

    /// <summary>A scope with Robot's built-in variables (`${EMPTY}`, `${SPACE}`, `${True}`, ...).</summary>
    public static RobotVariables CreateGlobal()
    {
        var global = new RobotVariables();
        global.Set("EMPTY", "");
        global.Set("SPACE", " ");
        global.Set("True", true);
        global.Set("False", false);
        global.Set("None", null);
        global.Set("null", null);
        global.Set("\\n", "\n");
        global.Set("TEMPDIR", Path.GetTempPath().TrimEnd('/', '\\'));
        global.Set("EXECDIR", Directory.GetCurrentDirectory());
        global.Set("/", Path.DirectorySeparatorChar.ToString());
        return global;
    }

    public RobotVariables CreateChild() => new(this);

    /// <summary>Strips `${`, `@{`, `&amp;{` and `}` (and a trailing `=`) from a variable reference.</summary>
    public static string BareName(string reference)
    {
        var t = reference.Trim().TrimEnd('=').TrimEnd();
        if (t.Length >= 3 && "$@&%".Contains(t[0]) && t[1] == '{' && t[^1] == '}')
        {
            return t.Substring(2, t.Length - 3);
        }
        return t;
    }

    public void Set(string name, object? value)
    {
        var key = RobotNames.Normalize(BareName(name));
        values[key] = value;
        displayNames[key] = BareName(name);
    }

    public bool Contains(string name) => values.ContainsKey(RobotNames.Normalize(BareName(name)));

    public bool Remove(string name) => values.Remove(RobotNames.Normalize(BareName(name)));

    public bool TryGet(string name, out object? value)
    {
        var key = RobotNames.Normalize(BareName(name));
        for (var scope = this; scope != null; scope = scope.Parent)
        {
            if (scope.values.TryGetValue(key, out value))
            {
                return true;
            }
        }
        value = null;
        return false;
    }

    /// <summary>Every visible variable, innermost scope winning, with the name as first written.</summary>
    public Dictionary<string, object?> Snapshot()
    {
        var result = new Dictionary<string, object?>();
        var seen = new HashSet<string>();
        for (var scope = this; scope != null; scope = scope.Parent)
        {
            foreach (var (key, value) in scope.values)
            {
                if (seen.Add(key))
                {
                    result[scope.displayNames[key]] = value;
                }
            }
        }
        return result;
    }

    /// <summary>
    /// The value of one argument cell: the object itself when the cell is exactly one variable
    /// (so `${1}` is an integer and `${list}` a list), otherwise the text with variables substituted.
    /// </summary>
    public object? Resolve(string cell)
    {
        if (cell.Length > 3 && (cell[0] == '$' || cell[0] == '@' || cell[0] == '&' || cell[0] == '%') && cell[1] == '{')
        {
            var end = FindVariableEnd(cell, 0);
            if (end == cell.Length)
            {
                return ResolveReference(cell);
            }
        }
        return ReplaceString(cell);
    }

    /// <summary>Text with every variable replaced by its string form and escapes (`\n`, `\t`, `\${`, `\\`) processed.</summary>
    public string ReplaceString(string text)
    {
        if (text.IndexOf('\\') < 0 && text.IndexOf('{') < 0)
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                i = AppendEscape(text, i + 1, builder);
                continue;
            }
            if ((c == '$' || c == '@' || c == '&' || c == '%') && i + 1 < text.Length && text[i + 1] == '{')
            {
                var end = FindVariableEnd(text, i);
                if (end > 0)
                {
                    builder.Append(RobotValues.ToText(ResolveReference(text.Substring(i, end - i))));
                    i = end;
                    continue;
                }
            }
            builder.Append(c);
            i++;
        }
        return builder.ToString();
    }

    /// <summary>Resolves cells into values, expanding `@{list}` cells into their items.</summary>
    public List<object?> ResolveList(IEnumerable<string> cells)
    {
        var result = new List<object?>();
        foreach (var cell in cells)
        {
            if (IsWholeVariable(cell, '@'))
            {
                result.AddRange(RobotValues.ToList(ResolveReference("$" + cell.Substring(1))));
            }
            else
            {
                result.Add(Resolve(cell));
            }
        }
        return result;
    }

    /// <summary>True when the cell is exactly one variable reference with this sigil (`@{x}`, `&amp;{x}`).</summary>
    public static bool IsWholeVariable(string cell, char sigil) =>
        cell.Length > 3 && cell[0] == sigil && cell[1] == '{' && FindVariableEnd(cell, 0) == cell.Length;

    /// <summary>End (exclusive) of the variable starting at <paramref name="start"/>, including `[item]` accesses; -1 if unterminated.</summary>
    public static int FindVariableEnd(string text, int start)
    {
        var depth = 0;
        var i = start + 1;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                i++;
                continue;
            }
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth--;
                if (depth == 0)
                {
                    break;
                }
            }
        }
        if (i >= text.Length)
        {
            return -1;
        }
        i++;
        // Item access after the closing brace: ${x}[0][key]. Only for $, @ and & variables.
        while (i < text.Length && text[i] == '[' && text[start] != '%')
        {
            var close = text.IndexOf(']', i);
            if (close < 0)
            {
                break;
            }
            i = close + 1;
        }
        return i;
    }

    private int AppendEscape(string text, int i, StringBuilder builder)
    {
        var c = text[i];
        switch (c)
        {
            case 'n':
                builder.Append('\n');
                return i + 1;
            case 't':
                builder.Append('\t');
                return i + 1;
            case 'r':
                builder.Append('\r');
                return i + 1;
            case 'x' when i + 2 < text.Length + 0 && IsHex(text, i + 1, 2):
                builder.Append((char)int.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                return i + 3;
            case 'u' when IsHex(text, i + 1, 4):
                builder.Append((char)int.Parse(text.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                return i + 5;
            default:
                // Any other escaped character stands for itself (`\$`, `\#`, `\=`, `\\`, `\ `).
                builder.Append(c);
                return i + 1;
        }
    }

    private static bool IsHex(string text, int start, int count)
    {
        if (start + count > text.Length)
        {
            return false;
        }
        for (var k = start; k < start + count; k++)
        {
            if (!Uri.IsHexDigit(text[k]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Evaluates one complete reference like `${name}`, `@{x}[1]`, `%{HOME}`.</summary>
    public object? ResolveReference(string reference)
    {
        var sigil = reference[0];
        var close = FindClosingBrace(reference);
        var body = reference.Substring(2, close - 2);
        var items = reference.Substring(close + 1);
        if (body.Contains('{'))
        {
            body = ReplaceString(body);
        }
        object? value;
        if (sigil == '%')
        {
            var eq = body.IndexOf('=');
            var name = eq >= 0 ? body.Substring(0, eq) : body;
            value = Environment.GetEnvironmentVariable(name) ?? (eq >= 0 ? body.Substring(eq + 1) : throw new RobotKeywordException($"Environment variable '%{{{name}}}' not found."));
            return value;
        }
        value = ResolveBody(body, sigil);
        var accessed = items.Length > 0;
        while (items.Length > 0 && items[0] == '[')
        {
            var end = items.IndexOf(']');
            var indexText = ReplaceString(items.Substring(1, end - 1));
            object? index = indexText;
            if (value is System.Collections.IList && RobotValues.TryParseInteger(indexText, out var n))
            {
                index = n;
            }
            try
            {
                value = RobotExpression.Index(value, index);
            }
            catch (Exception e) when (e is KeyNotFoundException or IndexOutOfRangeException or InvalidCastException)
            {
                throw new RobotKeywordException($"Accessing '{reference}' failed: {e.Message}");
            }
            items = items.Substring(end + 1);
        }
        if (sigil == '@' && !accessed && value is not System.Collections.IList)
        {
            throw new RobotKeywordException($"Value of variable '{reference}' is not list or list-like.");
        }
        if (sigil == '&' && !accessed && value is not System.Collections.IDictionary)
        {
            throw new RobotKeywordException($"Value of variable '{reference}' is not dictionary or dictionary-like.");
        }
        return value;
    }

    private static int FindClosingBrace(string reference)
    {
        var depth = 0;
        for (var i = 1; i < reference.Length; i++)
        {
            if (reference[i] == '\\')
            {
                i++;
                continue;
            }
            if (reference[i] == '{')
            {
                depth++;
            }
            else if (reference[i] == '}' && --depth == 0)
            {
                return i;
            }
        }
        throw new RobotKeywordException($"Variable '{reference}' has no closing '}}'.");
    }

    private object? ResolveBody(string body, char sigil)
    {
        if (TryGet(body, out var value))
        {
            return value;
        }
        if (NumberBody.IsMatch(body) && RobotValues.TryParseInteger(body, out var integer))
        {
            return integer;
        }
        if (FloatBody.IsMatch(body) && RobotValues.TryParseDouble(body, out var real))
        {
            return real;
        }
        if (body.StartsWith('{') && body.EndsWith('}'))
        {
            // ${{ expression }}: Robot's inline Python, evaluated with `$name` variables.
            return RobotExpression.Evaluate(body.Substring(1, body.Length - 2).Trim(), Lookup);
        }
        // Extended syntax: ${r.groups[0]}, ${i + 1}, ${SPACE * 4}: the base must be an existing variable.
        var baseMatch = Regex.Match(body, @"^\s*([\w ]*\w)");
        if (baseMatch.Success && baseMatch.Length < body.Length && TryGet(baseMatch.Groups[1].Value.Trim(), out _))
        {
            try
            {
                return RobotExpression.Evaluate(body, LookupBare, bareNamesAreVariables: true);
            }
            catch (RobotAttributeError e)
            {
                // Robot's wording: "Resolving variable '${r.groups[1]}' failed: AttributeError: groups".
                throw new RobotKeywordException($"Resolving variable '{sigil}{{{body}}}' failed: AttributeError: {e.Name}");
            }
        }
        throw new RobotKeywordException($"Variable '{sigil}{{{body}}}' not found.");
    }

    private (bool, object?) Lookup(string name) => TryGet(name, out var v) ? (true, v) : (false, null);

    private (bool, object?) LookupBare(string name) => TryGet(name, out var v) ? (true, v) : (false, null);

    /// <summary>Evaluates a condition as Robot does: variables are substituted as text, `$name` reads them as objects.</summary>
    public object? EvaluateExpression(string expression)
    {
        var substituted = ReplaceString(expression);
        return RobotExpression.Evaluate(substituted, Lookup);
    }
}
