using System.Globalization;
using System.Text;

namespace Emulator.Monitor;

/// <summary>
/// Splits one logical monitor line into statements (separated by `;`) of tokens, the way Renode's
/// tokenizer reads them: `#` starts a comment, a token starting with `:` is a comment too (script headers
/// like `:name:`), strings in single, double or triple double quotes, `@path`, `$var`, numbers (hex with
/// `0x`), floats, `hh:mm:ss.f` intervals, `&lt;a, b&gt;` ranges, booleans, `=` and `?=`.
/// </summary>
internal static class MonitorTokenizer
{
    public static List<List<MonitorToken>> Tokenize(string line)
    {
        var statements = new List<List<MonitorToken>>();
        var current = new List<MonitorToken>();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (c == ';')
            {
                statements.Add(current);
                current = new List<MonitorToken>();
                i++;
                continue;
            }
            if (c == '#' || (c == ':' && current.Count == 0))
            {
                break;
            }
            if (c == '"' && string.CompareOrdinal(line, i, "\"\"\"", 0, 3) == 0)
            {
                var end = line.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new MonitorException("unterminated \"\"\" string");
                }
                current.Add(new MonitorToken(TokenKind.MultilineString, line.Substring(i + 3, end - i - 3)));
                i = end + 3;
                continue;
            }
            if (c == '"' || c == '\'')
            {
                current.Add(new MonitorToken(TokenKind.String, ReadQuoted(line, ref i)));
                continue;
            }
            if (c == '=')
            {
                current.Add(new MonitorToken(TokenKind.Assign, "="));
                i++;
                continue;
            }
            if (c == '?' && i + 1 < line.Length && line[i + 1] == '=')
            {
                current.Add(new MonitorToken(TokenKind.ConditionalAssign, "?="));
                i += 2;
                continue;
            }
            if (c == '@')
            {
                i++;
                if (i < line.Length && (line[i] == '"' || line[i] == '\''))
                {
                    current.Add(new MonitorToken(TokenKind.Path, ReadQuoted(line, ref i)));
                    continue;
                }
                var path = new StringBuilder();
                while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] != ';')
                {
                    if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] == ' ')
                    {
                        path.Append(' ');
                        i += 2;
                        continue;
                    }
                    path.Append(line[i++]);
                }
                if (path.Length == 0)
                {
                    throw new MonitorException("a path is expected after '@'");
                }
                current.Add(new MonitorToken(TokenKind.Path, path.ToString()));
                continue;
            }
            if (c == '$')
            {
                current.Add(ReadVariable(line, ref i));
                continue;
            }
            if (c == '<')
            {
                current.Add(ReadRange(line, ref i));
                continue;
            }
            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] != ';')
            {
                i++;
            }
            current.Add(Classify(line.Substring(start, i - start)));
        }
        statements.Add(current);
        statements.RemoveAll(s => s.Count == 0);
        return statements;
    }

    /// <summary>Parses a bare word into a number, float, interval, boolean or plain word.</summary>
    public static MonitorToken Classify(string word)
    {
        if (word is "true" or "True" or "TRUE")
        {
            return new MonitorToken(TokenKind.Boolean, word) { Boolean = true };
        }
        if (word is "false" or "False" or "FALSE")
        {
            return new MonitorToken(TokenKind.Boolean, word) { Boolean = false };
        }
        if (TryParseNumber(word, out var number, out var negative))
        {
            return new MonitorToken(TokenKind.Number, word) { Number = number, IsNegative = negative };
        }
        if (TryParseInterval(word, out var interval))
        {
            return new MonitorToken(TokenKind.Interval, word) { Interval = interval };
        }
        if ((word.Length > 0 && (char.IsDigit(word[0]) || word[0] == '-' || word[0] == '.'))
            && double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var f))
        {
            return new MonitorToken(TokenKind.Float, word) { Float = f };
        }
        return new MonitorToken(TokenKind.Word, word);
    }

    public static bool TryParseNumber(string text, out ulong value, out bool negative)
    {
        value = 0;
        negative = text.StartsWith('-');
        var body = (negative ? text.Substring(1) : text).Replace("_", "");
        bool ok;
        if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            ok = body.Length > 2 && ulong.TryParse(body.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        else
        {
            ok = body.Length > 0 && body.All(char.IsAsciiDigit) && ulong.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }
        if (ok && negative)
        {
            value = unchecked(0 - value);
        }
        return ok;
    }

    /// <summary>`hh:mm:ss[.fraction]` or `mm:ss[.fraction]`, as Renode's TimeInterval accepts.</summary>
    public static bool TryParseInterval(string text, out TimeSpan interval)
    {
        interval = default;
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3)
        {
            return false;
        }
        double seconds = 0;
        for (var p = 0; p < parts.Length; p++)
        {
            var last = p == parts.Length - 1;
            if (parts[p].Length == 0 || !double.TryParse(parts[p], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v)
                || (!last && parts[p].Contains('.')))
            {
                return false;
            }
            seconds = seconds * 60 + v;
        }
        interval = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    public static bool IsIdentifier(ReadOnlySpan<char> text)
    {
        if (text.Length == 0 || !(char.IsLetter(text[0]) || text[0] == '_'))
        {
            return false;
        }
        foreach (var ch in text)
        {
            if (!(char.IsLetterOrDigit(ch) || ch == '_'))
            {
                return false;
            }
        }
        return true;
    }

    private static string ReadQuoted(string line, ref int i)
    {
        var quote = line[i++];
        var text = new StringBuilder();
        while (i < line.Length && line[i] != quote)
        {
            if (line[i] == '\\' && i + 1 < line.Length && (line[i + 1] == quote || line[i + 1] == '\\'))
            {
                i++;
            }
            text.Append(line[i++]);
        }
        if (i >= line.Length)
        {
            throw new MonitorException($"unterminated string: missing closing {quote}");
        }
        i++;
        return text.ToString();
    }

    private static MonitorToken ReadVariable(string line, ref int i)
    {
        i++;
        var start = i;
        while (i < line.Length && (char.IsLetterOrDigit(line[i]) || line[i] == '_'
            || (line[i] == '.' && line.AsSpan(start, i - start).SequenceEqual("global"))))
        {
            i++;
        }
        if (i == start)
        {
            throw new MonitorException("a variable name is expected after '$'");
        }
        var name = line.Substring(start, i - start);
        var suffixStart = i;
        while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] != ';' && line[i] != '=' && !(line[i] == '?' && i + 1 < line.Length && line[i + 1] == '='))
        {
            i++;
        }
        return new MonitorToken(TokenKind.Variable, name) { Suffix = line.Substring(suffixStart, i - suffixStart) };
    }

    private static MonitorToken ReadRange(string line, ref int i)
    {
        var end = line.IndexOf('>', i);
        if (end < 0)
        {
            throw new MonitorException("unterminated range: expected <start, end> or <start size>");
        }
        var body = line.Substring(i + 1, end - i - 1);
        var text = line.Substring(i, end - i + 1);
        i = end + 1;
        var isEnd = body.Contains(',');
        var parts = body.Split(new[] { ',', ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            throw new MonitorException($"bad range {text}: expected <start, end> or <start size>");
        }
        var plus = parts[1].StartsWith('+');
        if (!TryParseNumber(parts[0], out var a, out var negA) || !TryParseNumber(plus ? parts[1].Substring(1) : parts[1], out var b, out var negB) || negA || negB)
        {
            throw new MonitorException($"bad range {text}: bounds must be non-negative numbers");
        }
        if (isEnd && !plus)
        {
            if (b < a)
            {
                throw new MonitorException($"bad range {text}: the end is below the start");
            }
            return new MonitorToken(TokenKind.Range, text) { RangeStart = a, RangeEnd = b };
        }
        if (b == 0)
        {
            throw new MonitorException($"bad range {text}: the size must be positive");
        }
        return new MonitorToken(TokenKind.Range, text) { RangeStart = a, RangeEnd = a + b - 1 };
    }
}
