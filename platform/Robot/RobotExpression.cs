using System.Globalization;
using System.Text;

namespace Emulator.Robot;

/// <summary>
/// A small evaluator for the Python expressions Robot suites put in `IF`, `WHILE`, `Should Be True`,
/// `Evaluate` and extended variables (`${i + 1}`, `${r.groups[0]}`): literals, `$var`, comparisons
/// (chained), `and`/`or`/`not`, `in`, arithmetic, indexing, `len()`/`int()`/`str()` and a few string methods.
/// </summary>
public sealed class RobotExpression
{
    private readonly Func<string, (bool Found, object? Value)> lookup;
    private readonly bool bareNamesAreVariables;
    private readonly List<Token> tokens;
    private int position;

    private RobotExpression(string text, Func<string, (bool, object?)> lookup, bool bareNamesAreVariables)
    {
        this.lookup = lookup;
        this.bareNamesAreVariables = bareNamesAreVariables;
        tokens = Tokenize(text);
    }

    /// <summary>Evaluates <paramref name="expression"/>; `$name` reads a variable. Throws <see cref="RobotKeywordException"/> on error.</summary>
    public static object? Evaluate(string expression, Func<string, (bool Found, object? Value)> lookup, bool bareNamesAreVariables = false)
    {
        try
        {
            var parser = new RobotExpression(expression, lookup, bareNamesAreVariables);
            var value = parser.ParseOr();
            if (parser.Peek.Kind != TokenKind.End)
            {
                throw new FormatException($"unexpected '{parser.Peek.Text}'");
            }
            return value;
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or DivideByZeroException or ArgumentException or IndexOutOfRangeException or KeyNotFoundException or OverflowException)
        {
            throw new RobotKeywordException($"Evaluating expression '{expression}' failed: {e.Message}");
        }
        catch (RobotAttributeError e) when (!bareNamesAreVariables)
        {
            // An extended variable (bare names) lets the caller word it as Robot does for variables.
            throw new RobotKeywordException($"Evaluating expression '{expression}' failed: AttributeError: {e.Name}");
        }
    }

    private Token Peek => tokens[position];

    private Token Next() => tokens[position++];

    private bool Accept(string op)
    {
        if (Peek.Kind is TokenKind.Operator or TokenKind.Name && Peek.Text == op)
        {
            position++;
            return true;
        }
        return false;
    }

    private void Expect(string op)
    {
        if (!Accept(op))
        {
            throw new FormatException($"expected '{op}' but found '{Peek.Text}'");
        }
    }

    private object? ParseOr()
    {
        var left = ParseAnd();
        while (Accept("or"))
        {
            var right = ParseAnd();
            left = RobotValues.IsTruthy(left) ? left : right;
        }
        return left;
    }

    private object? ParseAnd()
    {
        var left = ParseNot();
        while (Accept("and"))
        {
            var right = ParseNot();
            left = RobotValues.IsTruthy(left) ? right : left;
        }
        return left;
    }

    private object? ParseNot()
    {
        if (Accept("not"))
        {
            return !RobotValues.IsTruthy(ParseNot());
        }
        return ParseComparison();
    }

    private object? ParseComparison()
    {
        var left = ParseArithmetic();
        object? result = null;
        var any = false;
        while (true)
        {
            string? op = null;
            if (Peek.Kind == TokenKind.Operator && Peek.Text is "==" or "!=" or "<" or ">" or "<=" or ">=")
            {
                op = Next().Text;
            }
            else if (Accept("in"))
            {
                op = "in";
            }
            else if (Peek.Kind == TokenKind.Name && Peek.Text == "not" && tokens[position + 1].Text == "in")
            {
                position += 2;
                op = "not in";
            }
            else if (Accept("is"))
            {
                op = Accept("not") ? "is not" : "is";
            }
            if (op == null)
            {
                return any ? result : left;
            }
            var right = ParseArithmetic();
            var holds = Compare(op, left, right);
            result = any ? RobotValues.IsTruthy(result) && holds : holds;
            any = true;
            left = right;
        }
    }

    private static bool Compare(string op, object? a, object? b)
    {
        switch (op)
        {
            case "==":
                return RobotValues.ValueEquals(a, b);
            case "!=":
                return !RobotValues.ValueEquals(a, b);
            case "is":
                return (a == null && b == null) || (a is bool x && b is bool y && x == y) || ReferenceEquals(a, b);
            case "is not":
                return !Compare("is", a, b);
            case "in":
                return Contains(b, a);
            case "not in":
                return !Contains(b, a);
        }
        var na = RobotValues.AsNumber(a);
        var nb = RobotValues.AsNumber(b);
        int order;
        if (na.HasValue && nb.HasValue)
        {
            order = na.Value.CompareTo(nb.Value);
        }
        else if (a is string sa && b is string sb)
        {
            order = string.CompareOrdinal(sa, sb);
        }
        else
        {
            throw new InvalidCastException($"'{op}' not supported between {TypeName(a)} and {TypeName(b)}");
        }
        return op switch
        {
            "<" => order < 0,
            ">" => order > 0,
            "<=" => order <= 0,
            _ => order >= 0,
        };
    }

    private static bool Contains(object? container, object? item)
    {
        switch (container)
        {
            case string s when item is string sub:
                return s.Contains(sub, StringComparison.Ordinal);
            case string:
                throw new InvalidCastException($"'in <string>' requires string as left operand, not {TypeName(item)}");
            case System.Collections.IDictionary dict:
                return item != null && dict.Contains(item);
            case System.Collections.IList list:
                foreach (var element in list)
                {
                    if (RobotValues.ValueEquals(element, item))
                    {
                        return true;
                    }
                }
                return false;
            default:
                throw new InvalidCastException($"argument of type '{TypeName(container)}' is not iterable");
        }
    }

    private object? ParseArithmetic()
    {
        var left = ParseTerm();
        while (Peek.Kind == TokenKind.Operator && Peek.Text is "+" or "-")
        {
            var op = Next().Text;
            var right = ParseTerm();
            left = Arithmetic(op, left, right);
        }
        return left;
    }

    private object? ParseTerm()
    {
        var left = ParseUnary();
        while (Peek.Kind == TokenKind.Operator && Peek.Text is "*" or "/" or "//" or "%")
        {
            var op = Next().Text;
            var right = ParseUnary();
            left = Arithmetic(op, left, right);
        }
        return left;
    }

    private static object? Arithmetic(string op, object? a, object? b)
    {
        if (op == "+" && a is string sa && b is string sb)
        {
            return sa + sb;
        }
        if (op == "+" && a is List<object?> la && b is List<object?> lb)
        {
            return la.Concat(lb).ToList();
        }
        if (op == "*" && a is string text && RobotValues.AsNumber(b) is double times)
        {
            return string.Concat(Enumerable.Repeat(text, Math.Max(0, (int)times)));
        }
        if (op == "%" && a is string format)
        {
            var args = b is List<object?> list ? list : new List<object?> { b };
            var index = 0;
            return System.Text.RegularExpressions.Regex.Replace(format, "%[sdi]", _ => index < args.Count ? RobotValues.ToText(args[index++]) : "");
        }
        if (a is long x && b is long y)
        {
            return op switch
            {
                "+" => x + y,
                "-" => x - y,
                "*" => x * y,
                "/" => (double)x / y,
                "//" => y == 0 ? throw new DivideByZeroException("integer division by zero") : (long)Math.Floor((double)x / y),
                _ => y == 0 ? throw new DivideByZeroException("integer modulo by zero") : ((x % y) + y) % y,
            };
        }
        var na = RobotValues.AsNumber(a) ?? throw new InvalidCastException($"unsupported operand type(s) for {op}: {TypeName(a)} and {TypeName(b)}");
        var nb = RobotValues.AsNumber(b) ?? throw new InvalidCastException($"unsupported operand type(s) for {op}: {TypeName(a)} and {TypeName(b)}");
        return op switch
        {
            "+" => na + nb,
            "-" => na - nb,
            "*" => na * nb,
            "/" => nb == 0 ? throw new DivideByZeroException("division by zero") : na / nb,
            "//" => Math.Floor(na / nb),
            _ => na % nb,
        };
    }

    private object? ParseUnary()
    {
        if (Peek.Kind == TokenKind.Operator && Peek.Text == "-")
        {
            Next();
            var value = ParseUnary();
            return value switch
            {
                long l => -l,
                double d => -d,
                _ => throw new InvalidCastException($"bad operand type for unary -: {TypeName(value)}"),
            };
        }
        if (Peek.Kind == TokenKind.Operator && Peek.Text == "+")
        {
            Next();
            return ParseUnary();
        }
        return ParsePostfix(ParseAtom());
    }

    private object? ParsePostfix(object? value)
    {
        while (true)
        {
            if (Accept("["))
            {
                var index = ParseOr();
                Expect("]");
                value = Index(value, index);
            }
            else if (Accept("."))
            {
                var name = Next();
                if (name.Kind != TokenKind.Name)
                {
                    throw new FormatException($"expected a name after '.' but found '{name.Text}'");
                }
                if (Accept("("))
                {
                    var args = ParseArguments();
                    value = CallMethod(value, name.Text, args);
                }
                else
                {
                    value = Attribute(value, name.Text);
                }
            }
            else
            {
                return value;
            }
        }
    }

    /// <summary>`x[i]` on lists, strings and dictionaries (negative list indexes count from the end).</summary>
    public static object? Index(object? value, object? index)
    {
        switch (value)
        {
            case System.Collections.IDictionary dict:
                if (index != null && dict.Contains(index))
                {
                    return dict[index];
                }
                // Python dictionaries (and Robot's DotDict) match keys exactly: `${r}[line]` is not `${r}[Line]`.
                throw new KeyNotFoundException($"Dictionary has no key '{RobotValues.ToText(index)}'.");
            case System.Collections.IList or string:
            {
                var n = index switch
                {
                    long l => l,
                    int i => i,
                    string s when RobotValues.TryParseInteger(s, out var parsed) => parsed,
                    _ => throw new InvalidCastException($"indices must be integers, not {TypeName(index)}"),
                };
                var count = value is string str ? str.Length : ((System.Collections.IList)value).Count;
                if (n < 0)
                {
                    n += count;
                }
                if (n < 0 || n >= count)
                {
                    throw new IndexOutOfRangeException($"index {RobotValues.ToText(index)} out of range (length {count})");
                }
                return value is string s2 ? s2[(int)n].ToString() : ((System.Collections.IList)value)[(int)n];
            }
            default:
                throw new InvalidCastException($"'{TypeName(value)}' object is not subscriptable");
        }
    }

    /// <summary>
    /// `x.name`: on a dictionary (Robot's DotDict, what Renode's results become through the Remote library) the key
    /// of exactly that name; anything else, or a name of another case, is Python's AttributeError.
    /// </summary>
    private static object? Attribute(object? value, string name)
    {
        if (value is System.Collections.IDictionary dict && dict.Contains(name))
        {
            return dict[name];
        }
        throw new RobotAttributeError(name);
    }

    private static object? CallMethod(object? value, string name, List<object?> args)
    {
        if (value is string s)
        {
            string Arg(int i) => i < args.Count ? RobotValues.ToText(args[i]) : throw new ArgumentException($"{name}() missing an argument");
            switch (name)
            {
                case "lower":
                    return s.ToLowerInvariant();
                case "upper":
                    return s.ToUpperInvariant();
                case "strip":
                    return s.Trim();
                case "startswith":
                    return s.StartsWith(Arg(0), StringComparison.Ordinal);
                case "endswith":
                    return s.EndsWith(Arg(0), StringComparison.Ordinal);
                case "split":
                    return (args.Count == 0 ? s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : s.Split(Arg(0))).Select(x => (object?)x).ToList();
                case "count":
                    return (long)((s.Length - s.Replace(Arg(0), "").Length) / Math.Max(1, Arg(0).Length));
                case "replace":
                    return s.Replace(Arg(0), Arg(1));
            }
        }
        if (value is System.Collections.IDictionary dict && name == "get")
        {
            return args.Count > 0 && args[0] != null && dict.Contains(args[0]!) ? dict[args[0]!] : args.Count > 1 ? args[1] : null;
        }
        throw new InvalidCastException($"'{TypeName(value)}' object has no method '{name}'");
    }

    private List<object?> ParseArguments()
    {
        var args = new List<object?>();
        if (Accept(")"))
        {
            return args;
        }
        do
        {
            args.Add(ParseOr());
        }
        while (Accept(","));
        Expect(")");
        return args;
    }

    private object? ParseAtom()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Number:
                if (RobotValues.TryParseInteger(token.Text, out var integer))
                {
                    return integer;
                }
                return double.Parse(token.Text, CultureInfo.InvariantCulture);
            case TokenKind.String:
                return token.Text;
            case TokenKind.Variable:
            {
                var (found, value) = lookup(token.Text);
                if (!found)
                {
                    throw new KeyNotFoundException($"variable '${token.Text}' not found");
                }
                return value;
            }
            case TokenKind.Name:
                switch (token.Text)
                {
                    case "True":
                        return true;
                    case "False":
                        return false;
                    case "None":
                        return null;
                    case "len" or "int" or "str" or "float" or "bool" or "abs" or "min" or "max" when Peek.Text == "(":
                        Next();
                        return CallFunction(token.Text, ParseArguments());
                }
                if (bareNamesAreVariables)
                {
                    var (found, value) = lookup(token.Text);
                    if (found)
                    {
                        return value;
                    }
                }
                throw new KeyNotFoundException($"NameError: name '{token.Text}' is not defined");
            case TokenKind.Operator when token.Text == "(":
            {
                var value = ParseOr();
                if (Accept(","))
                {
                    var tuple = new List<object?> { value };
                    while (Peek.Text != ")")
                    {
                        tuple.Add(ParseOr());
                        if (!Accept(","))
                        {
                            break;
                        }
                    }
                    value = tuple;
                }
                Expect(")");
                return value;
            }
            case TokenKind.Operator when token.Text == "[":
            {
                var list = new List<object?>();
                while (!Accept("]"))
                {
                    list.Add(ParseOr());
                    if (!Accept(","))
                    {
                        Expect("]");
                        break;
                    }
                }
                return list;
            }
            default:
                throw new FormatException(token.Kind == TokenKind.End ? "unexpected end of expression" : $"unexpected '{token.Text}'");
        }
    }

    private static object? CallFunction(string name, List<object?> args)
    {
        object? Arg0() => args.Count > 0 ? args[0] : throw new ArgumentException($"{name}() takes an argument");
        switch (name)
        {
            case "len":
                return Arg0() switch
                {
                    string s => (long)s.Length,
                    System.Collections.ICollection c => (long)c.Count,
                    var v => throw new InvalidCastException($"object of type '{TypeName(v)}' has no len()"),
                };
            case "int":
            {
                var v = Arg0();
                if (v is string s)
                {
                    if (args.Count > 1 && RobotValues.AsNumber(args[1]) is double radix)
                    {
                        return Convert.ToInt64(s.Trim(), (int)radix);
                    }
                    return RobotValues.TryParseInteger(s, out var l) && !s.TrimStart('-', '+').StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                        ? l : throw new FormatException($"invalid literal for int() with base 10: '{s}'");
                }
                return (long)(RobotValues.AsNumber(v) ?? throw new InvalidCastException($"int() argument must be a string or a number, not '{TypeName(v)}'"));
            }
            case "float":
            {
                var v = Arg0();
                if (v is string s)
                {
                    return RobotValues.TryParseDouble(s, out var d) ? d : throw new FormatException($"could not convert string to float: '{s}'");
                }
                return RobotValues.AsNumber(v) ?? throw new InvalidCastException($"float() argument must be a string or a number");
            }
            case "str":
                return RobotValues.ToText(Arg0());
            case "bool":
                return RobotValues.IsTruthy(Arg0());
            case "abs":
                return Arg0() switch
                {
                    long l => Math.Abs(l),
                    var v => Math.Abs(RobotValues.AsNumber(v) ?? throw new InvalidCastException("bad operand type for abs()")),
                };
            default:
            {
                var items = args.Count == 1 ? RobotValues.ToList(args[0]) : args;
                var numbers = items.Select(i => RobotValues.AsNumber(i) ?? throw new InvalidCastException($"{name}() needs numbers")).ToList();
                var pick = name == "min" ? numbers.Min() : numbers.Max();
                return items.All(i => i is long) ? (long)pick : pick;
            }
        }
    }

    private static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        string => "str",
        long or int => "int",
        double => "float",
        bool => "bool",
        System.Collections.IDictionary => "dict",
        System.Collections.IList => "list",
        _ => value.GetType().Name,
    };

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                var start = i;
                if (c == '0' && i + 1 < text.Length && "xXbBoO".Contains(text[i + 1]))
                {
                    i += 2;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                    {
                        i++;
                    }
                }
                else
                {
                    while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.' || text[i] == '_' ||
                           ((text[i] == 'e' || text[i] == 'E') && i + 1 < text.Length && (char.IsDigit(text[i + 1]) || text[i + 1] == '-'))))
                    {
                        if (text[i] is 'e' or 'E')
                        {
                            i++;
                        }
                        i++;
                    }
                }
                tokens.Add(new Token(TokenKind.Number, text.Substring(start, i - start).Replace("_", "")));
                continue;
            }
            if (c == '\'' || c == '"')
            {
                var builder = new StringBuilder();
                var quote = c;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException("unterminated string literal");
                    }
                    var ch = text[i++];
                    if (ch == quote)
                    {
                        break;
                    }
                    if (ch == '\\' && i < text.Length)
                    {
                        var esc = text[i++];
                        builder.Append(esc switch
                        {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            '0' => '\0',
                            _ => esc,
                        });
                        continue;
                    }
                    builder.Append(ch);
                }
                tokens.Add(new Token(TokenKind.String, builder.ToString()));
                continue;
            }
            if (c == '$' && i + 1 < text.Length && (char.IsLetter(text[i + 1]) || text[i + 1] == '_'))
            {
                var start = ++i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }
                tokens.Add(new Token(TokenKind.Variable, text.Substring(start, i - start)));
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }
                tokens.Add(new Token(TokenKind.Name, text.Substring(start, i - start)));
                continue;
            }
            var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
            if (two is "==" or "!=" or "<=" or ">=" or "//")
            {
                tokens.Add(new Token(TokenKind.Operator, two));
                i += 2;
                continue;
            }
            if ("+-*/%<>()[],.".Contains(c))
            {
                tokens.Add(new Token(TokenKind.Operator, c.ToString()));
                i++;
                continue;
            }
            throw new FormatException($"invalid character '{c}'");
        }
        tokens.Add(new Token(TokenKind.End, ""));
        tokens.Add(new Token(TokenKind.End, ""));
        return tokens;
    }

    private enum TokenKind
    {
        Number,
        String,
        Name,
        Variable,
        Operator,
        End,
    }

    private readonly record struct Token(TokenKind Kind, string Text);
}
