using System.Globalization;
using System.Text.RegularExpressions;

namespace Emulator.Cli.Litmus;

/// <summary>
/// Reads the litmus format of herd7, litmus7 and rmem for RISC-V: `RISCV name`, an optional quoted line and
/// `Key=value` lines, `{ initial state }`, a row `P0 | P1 ... ;` then one row of code per line, optional
/// `locations [x; 0:x5;]`, and `exists` / `~exists` / `forall` with `/\`, `\/`, `~` and parentheses.
/// Errors carry `file:line:col`.
/// </summary>
public static partial class LitmusParser
{
    private static readonly string[] AbiNames =
    {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    };

    public static LitmusTest ParseFile(string path) => Parse(path, File.ReadAllText(path));

    public static LitmusTest Parse(string file, string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var i = 0;
        SkipBlank(lines, ref i);
        if (i >= lines.Length)
        {
            throw new LitmusException(file, 1, 1, "empty file; expected `RISCV name`");
        }
        var header = lines[i].Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (header.Length < 2 || header[0] != "RISCV")
        {
            throw new LitmusException(file, i + 1, 1, "expected `RISCV name` (only RISC-V tests are supported)");
        }
        var name = header[1];
        i++;
        string? expected = null;
        // Metadata: a quoted line and Key=value lines, up to the initial state.
        while (i < lines.Length && !lines[i].TrimStart().StartsWith('{'))
        {
            var t = lines[i].Trim();
            var eq = t.IndexOf('=');
            if (t.StartsWith("Expected=", StringComparison.Ordinal))
            {
                expected = t[(eq + 1)..].Trim();
                if (expected is not ("Allowed" or "Forbidden"))
                {
                    throw new LitmusException(file, i + 1, eq + 2, $"Expected= takes Allowed or Forbidden, not '{expected}'");
                }
            }
            else if (t.Length != 0 && !t.StartsWith('"') && eq <= 0 && !t.StartsWith("(*", StringComparison.Ordinal))
            {
                throw new LitmusException(file, i + 1, 1, $"expected the initial state `{{ ... }}`, a quoted line or Key=value, found '{t}'");
            }
            i++;
        }
        if (i >= lines.Length)
        {
            throw new LitmusException(file, lines.Length, 1, "missing the initial state `{ ... }`");
        }

        // Initial state, possibly over several lines, up to the closing brace.
        var init = new List<(string Text, int Line, int Column)>();
        var closed = false;
        var startLine = i;
        for (; i < lines.Length && !closed; i++)
        {
            var t = lines[i];
            var from = i == startLine ? t.IndexOf('{') + 1 : 0;
            var close = t.IndexOf('}', from);
            var part = close >= 0 ? t[from..close] : t[from..];
            closed = close >= 0;
            var col = from;
            foreach (var piece in part.Split(';'))
            {
                if (piece.Trim().Length != 0)
                {
                    init.Add((piece.Trim(), i + 1, col + piece.Length - piece.TrimStart().Length + 1));
                }
                col += piece.Length + 1;
            }
        }
        if (!closed)
        {
            throw new LitmusException(file, startLine + 1, 1, "the initial state is not closed with `}`");
        }

        var locations = new Dictionary<string, long>(StringComparer.Ordinal);
        var registers = new List<(int, int, long, string?)>();
        foreach (var (entry, line, col) in init)
        {
            var m = InitEntry().Match(entry);
            if (!m.Success)
            {
                throw new LitmusException(file, line, col, $"expected `hart:reg=value`, `location=value` or `type location=value`, found '{entry}'");
            }
            var value = m.Groups["value"].Value.Trim();
            if (m.Groups["hart"].Success)
            {
                var hart = int.Parse(m.Groups["hart"].Value, CultureInfo.InvariantCulture);
                var reg = RegisterIndex(m.Groups["name"].Value)
                    ?? throw new LitmusException(file, line, col, $"unknown register '{m.Groups["name"].Value}'");
                if (TryParseValue(value, out var v))
                {
                    registers.Add((hart, reg, v, null));
                }
                else if (Identifier().IsMatch(value))
                {
                    locations.TryAdd(value, 0);
                    registers.Add((hart, reg, 0, value));
                }
                else
                {
                    throw new LitmusException(file, line, col, $"'{value}' is neither a number nor a location");
                }
            }
            else
            {
                if (!TryParseValue(value, out var v))
                {
                    throw new LitmusException(file, line, col, $"location {m.Groups["name"].Value} needs a number, not '{value}'");
                }
                locations[m.Groups["name"].Value] = v;
            }
        }

        // Code: the header row `P0 | P1 ;` then rows until the condition.
        SkipBlank(lines, ref i);
        if (i >= lines.Length)
        {
            throw new LitmusException(file, lines.Length, 1, "missing the code (`P0 | P1 ... ;`)");
        }
        var heads = SplitRow(lines[i]);
        for (var h = 0; h < heads.Count; h++)
        {
            if (heads[h] != $"P{h}")
            {
                throw new LitmusException(file, i + 1, 1, $"expected the row of hart names `P0 | P1 ... ;`, found '{lines[i].Trim()}'");
            }
        }
        var code = heads.Select(_ => new List<(string, int)>()).ToList();
        i++;
        for (; i < lines.Length; i++)
        {
            var t = lines[i].Trim();
            if (t.Length == 0 || t.StartsWith("exists", StringComparison.Ordinal) || t.StartsWith("~exists", StringComparison.Ordinal)
                || t.StartsWith("forall", StringComparison.Ordinal) || t.StartsWith("locations", StringComparison.Ordinal)
                || !StripComment(t).TrimEnd().EndsWith(';'))
            {
                break;
            }
            var cells = SplitRow(lines[i]);
            if (cells.Count != heads.Count)
            {
                throw new LitmusException(file, i + 1, 1, $"this row has {cells.Count} columns; the test has {heads.Count} harts");
            }
            for (var h = 0; h < cells.Count; h++)
            {
                if (cells[h].Length != 0)
                {
                    code[h].Add((cells[h], i + 1));
                }
            }
        }

        // Observed locations and the condition (which may span lines).
        var observed = new List<(int, string)>();
        SkipBlank(lines, ref i);
        if (i < lines.Length && lines[i].Trim().StartsWith("locations", StringComparison.Ordinal))
        {
            var t = lines[i];
            var open = t.IndexOf('[');
            var close = t.IndexOf(']');
            if (open < 0 || close < open)
            {
                throw new LitmusException(file, i + 1, 1, "expected `locations [x; 0:x5; ...]`");
            }
            foreach (var item in t[(open + 1)..close].Split(';').Select(s => s.Trim()).Where(s => s.Length != 0))
            {
                observed.Add(ParseVariable(item, file, i + 1, t.IndexOf(item, StringComparison.Ordinal) + 1, locations));
            }
            i++;
            SkipBlank(lines, ref i);
        }
        if (i >= lines.Length)
        {
            throw new LitmusException(file, lines.Length, 1, "missing the final condition (`exists`, `~exists` or `forall`)");
        }
        var conditionLine = i + 1;
        var conditionText = string.Join(" ", lines.Skip(i).Select(l => StripComment(l)));
        var tokens = Tokenize(conditionText, file, conditionLine);
        var pos = 0;
        var quantifier = tokens[pos].Text;
        if (quantifier is not ("exists" or "~exists" or "forall"))
        {
            throw new LitmusException(file, conditionLine, 1, $"expected `exists`, `~exists` or `forall`, found '{quantifier}'");
        }
        pos++;
        var condition = ParseOr(tokens, ref pos, file, conditionLine, locations);
        if (pos != tokens.Count)
        {
            throw new LitmusException(file, conditionLine, tokens[pos].Column, $"unexpected '{tokens[pos].Text}' after the condition");
        }
        var inCondition = new List<(int Hart, string Name)>();
        condition.CollectVariables(inCondition);
        foreach (var v in inCondition)
        {
            if (!observed.Contains(v))
            {
                observed.Add(v);
            }
        }
        foreach (var (hart, _, _, _) in registers)
        {
            if (hart >= code.Count)
            {
                throw new LitmusException(file, startLine + 1, 1, $"the initial state names hart {hart}; the test has {code.Count}");
            }
        }
        foreach (var (hart, reg) in observed)
        {
            if (hart >= code.Count)
            {
                throw new LitmusException(file, conditionLine, 1, $"{hart}:{reg} names hart {hart}; the test has {code.Count}");
            }
        }
        return new LitmusTest
        {
            File = file,
            Name = name,
            Expected = expected,
            Quantifier = quantifier,
            Condition = condition,
            Code = code,
            Registers = registers,
            Locations = locations,
            Observed = observed,
            Source = text,
        };
    }

    public static int? RegisterIndex(string name)
    {
        if (name.Length > 1 && name[0] == 'x' && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < 32)
        {
            return n;
        }
        if (name == "fp")
        {
            return 8;
        }
        var i = Array.IndexOf(AbiNames, name);
        return i >= 0 ? i : null;
    }

    private static (int, string) ParseVariable(string text, string file, int line, int col, Dictionary<string, long> locations)
    {
        var colon = text.IndexOf(':');
        if (colon > 0 && int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var hart))
        {
            var reg = text[(colon + 1)..];
            if (RegisterIndex(reg) == null)
            {
                throw new LitmusException(file, line, col, $"unknown register '{reg}'");
            }
            return (hart, reg);
        }
        var loc = text.Trim('[', ']');
        if (!Identifier().IsMatch(loc))
        {
            throw new LitmusException(file, line, col, $"expected a location or hart:register, found '{text}'");
        }
        locations.TryAdd(loc, 0);
        return (-1, loc);
    }

    private sealed record Token(string Text, int Column);

    private static List<Token> Tokenize(string text, string file, int line)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || c == ';')
            {
                i++;
                continue;
            }
            if (text.AsSpan(i).StartsWith("/\\") || text.AsSpan(i).StartsWith("\\/"))
            {
                tokens.Add(new Token(text.Substring(i, 2), i + 1));
                i += 2;
                continue;
            }
            if (c is '(' or ')' or '=')
            {
                tokens.Add(new Token(c.ToString(), i + 1));
                i++;
                continue;
            }
            if (c == '~' && !text.AsSpan(i).StartsWith("~exists"))
            {
                tokens.Add(new Token("~", i + 1));
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or ':' or '-' or '~' or '[' or ']' or '.'))
            {
                i++;
            }
            if (i == start)
            {
                throw new LitmusException(file, line, i + 1, $"unexpected character '{c}' in the condition");
            }
            tokens.Add(new Token(text[start..i], start + 1));
        }
        if (tokens.Count == 0)
        {
            throw new LitmusException(file, line, 1, "empty condition");
        }
        return tokens;
    }

    private static LitmusCondition ParseOr(List<Token> t, ref int pos, string file, int line, Dictionary<string, long> locations)
    {
        var left = ParseAnd(t, ref pos, file, line, locations);
        while (pos < t.Count && t[pos].Text == "\\/")
        {
            pos++;
            left = new LitmusCondition { Type = LitmusConditionKind.Or, Left = left, Right = ParseAnd(t, ref pos, file, line, locations) };
        }
        return left;
    }

    private static LitmusCondition ParseAnd(List<Token> t, ref int pos, string file, int line, Dictionary<string, long> locations)
    {
        var left = ParseUnary(t, ref pos, file, line, locations);
        while (pos < t.Count && t[pos].Text == "/\\")
        {
            pos++;
            left = new LitmusCondition { Type = LitmusConditionKind.And, Left = left, Right = ParseUnary(t, ref pos, file, line, locations) };
        }
        return left;
    }

    private static LitmusCondition ParseUnary(List<Token> t, ref int pos, string file, int line, Dictionary<string, long> locations)
    {
        if (pos >= t.Count)
        {
            throw new LitmusException(file, line, 1, "the condition ends too early");
        }
        var tok = t[pos];
        switch (tok.Text)
        {
            case "~":
            case "not":
                pos++;
                return new LitmusCondition { Type = LitmusConditionKind.Not, Left = ParseUnary(t, ref pos, file, line, locations) };
            case "(":
                pos++;
                var inner = ParseOr(t, ref pos, file, line, locations);
                if (pos >= t.Count || t[pos].Text != ")")
                {
                    throw new LitmusException(file, line, pos < t.Count ? t[pos].Column : 1, "expected `)`");
                }
                pos++;
                return inner;
            case "true":
                pos++;
                return new LitmusCondition { Type = LitmusConditionKind.True };
            case "false":
                pos++;
                return new LitmusCondition { Type = LitmusConditionKind.False };
        }
        var (hart, name) = ParseVariable(tok.Text, file, line, tok.Column, locations);
        pos++;
        if (pos + 1 >= t.Count + 1 || pos >= t.Count || t[pos].Text != "=")
        {
            throw new LitmusException(file, line, pos < t.Count ? t[pos].Column : tok.Column, $"expected `=` after {tok.Text}");
        }
        pos++;
        if (pos >= t.Count || !TryParseValue(t[pos].Text, out var value))
        {
            throw new LitmusException(file, line, pos < t.Count ? t[pos].Column : tok.Column, $"expected a number after {tok.Text}=");
        }
        pos++;
        return new LitmusCondition { Type = LitmusConditionKind.Atom, Hart = hart, Name = name, Value = value };
    }

    private static bool TryParseValue(string text, out long value)
    {
        text = text.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var ok = ulong.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var u);
            value = (long)u;
            return ok;
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static List<string> SplitRow(string line)
    {
        var t = StripComment(line).Trim();
        if (t.EndsWith(';'))
        {
            t = t[..^1];
        }
        return t.Split('|').Select(c => c.Trim()).ToList();
    }

    private static string StripComment(string line)
    {
        var c = line.IndexOf("(*", StringComparison.Ordinal);
        return c >= 0 ? line[..c] : line;
    }

    private static void SkipBlank(string[] lines, ref int i)
    {
        while (i < lines.Length && StripComment(lines[i]).Trim().Length == 0)
        {
            i++;
        }
    }

    [GeneratedRegex(@"^\s*(?:(?:u?int(?:8|16|32|64)?(?:_t)?|long|char)\s+)?(?:(?<hart>\d+):)?(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?<value>\S+)\s*$")]
    private static partial Regex InitEntry();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
