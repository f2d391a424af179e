using System.Globalization;
using System.Text;
using Emulator.PlatformDescription.Syntax;
using Attribute = Emulator.PlatformDescription.Syntax.Attribute;

namespace Emulator.PlatformDescription;

/// <summary>
/// The grammar stage of the .repl parser: a recursive-descent reader over the prelexed text (see
/// renode.md §1.2 for the grammar). It reports the first problem as E00 (syntax) or E03 (empty entry)
/// at its place in the original file.
/// </summary>
public sealed class Parser
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "using", "new", "as", "preinit", "init", "reset", "local", "true", "True", "false", "False", "none", "empty",
    };

    /// <summary>Longest interrupt range accepted (`[0-1023]` is the largest a PLIC needs).</summary>
    private const int MaxRangeLength = 65536;

    private readonly PreLexedText input;
    private readonly string text;
    private int index;

    private Parser(PreLexedText input)
    {
        this.input = input;
        text = input.Text;
    }

    public static DescriptionFile Parse(SourceFile file, string source)
    {
        var prelexed = PreLexer.Process(file, source);
        return new Parser(prelexed).ParseFile();
    }

    private SourcePosition Here => input.Positions[Math.Min(index, input.Positions.Count - 1)];

    private bool AtEnd => index >= text.Length;

    private char Peek(int ahead = 0) => index + ahead < text.Length ? text[index + ahead] : '\0';

    private DescriptionFile ParseFile()
    {
        var usings = new List<UsingEntry>();
        var entries = new List<Entry>();
        SkipSeparators();
        while (PeekWord() == "using")
        {
            var position = Here;
            ReadIdentifier();
            SkipWhitespace();
            if (Peek() != '"')
            {
                throw Syntax("a quoted file name after 'using'");
            }
            var path = ReadString();
            usings.Add(new UsingEntry(position, path));
            ExpectEndOfItem();
            SkipSeparators();
        }
        while (!AtEnd)
        {
            if (PeekWord() == "using")
            {
                throw new PlatformDescriptionException(ParsingErrorCode.SyntaxError,
                    "Syntax error, 'using' must come before all entries.", Here);
            }
            entries.Add(ParseEntry());
            ExpectEndOfItem();
            SkipSeparators();
        }
        return new DescriptionFile(input.File, usings, entries);
    }

    private Entry ParseEntry()
    {
        SkipWhitespace();
        var position = Here;
        var isLocal = false;
        if (PeekWord() == "local")
        {
            ReadIdentifier();
            SkipWhitespace();
            isLocal = true;
            position = Here;
        }
        var variable = ReadVariableName();
        SkipWhitespace();
        Expect(':');
        SkipWhitespace();

        string? typeName = null;
        SourcePosition? typePosition = null;
        if (IsIdentifierStart(Peek()) && PeekWord() != "as")
        {
            typePosition = Here;
            typeName = ReadDottedName();
            SkipWhitespace();
        }
        Registration? registration = null;
        if (Peek() == '@')
        {
            registration = ParseRegistration();
            SkipWhitespace();
        }
        string? alias = null;
        SourcePosition? aliasPosition = null;
        if (PeekWord() == "as")
        {
            aliasPosition = Here;
            ReadIdentifier();
            SkipWhitespace();
            if (Peek() != '"')
            {
                throw Syntax("a quoted name after 'as'");
            }
            alias = ReadString();
            SkipWhitespace();
        }
        var attributes = new List<Attribute>();
        var hasBlock = false;
        if (Peek() == '{')
        {
            hasBlock = true;
            attributes.AddRange(ParseAttributeBlock());
        }
        if (typeName == null && registration == null && alias == null && !hasBlock)
        {
            throw new PlatformDescriptionException(ParsingErrorCode.EmptyEntry, $"Entry '{variable}' is empty.", position);
        }
        return new Entry(position, isLocal, variable, typeName, typePosition, registration, alias, aliasPosition, attributes);
    }

    private Registration ParseRegistration()
    {
        var position = Here;
        Expect('@');
        SkipWhitespace();
        if (PeekWord() == "none")
        {
            ReadIdentifier();
            return new Registration(position, true, Array.Empty<RegistrationPoint>());
        }
        var points = new List<RegistrationPoint>();
        if (Peek() == '{')
        {
            index++;
            SkipSeparators();
            while (Peek() != '}')
            {
                points.Add(ParseRegistrationPoint());
                SkipWhitespace();
                if (Peek() == ';')
                {
                    SkipSeparators();
                }
                else if (Peek() != '}')
                {
                    throw Syntax("';' or '}'");
                }
            }
            index++;
            if (points.Count == 0)
            {
                throw new PlatformDescriptionException(ParsingErrorCode.SyntaxError, "Syntax error, empty registration list.", position);
            }
        }
        else
        {
            points.Add(ParseRegistrationPoint());
        }
        return new Registration(position, false, points);
    }

    private RegistrationPoint ParseRegistrationPoint()
    {
        SkipWhitespace();
        var position = Here;
        if (!IsIdentifierStart(Peek()))
        {
            throw Syntax("the name of a register (e.g. sysbus)");
        }
        var register = ReadIdentifier();
        SkipWhitespace();
        Value? point = null;
        if (!AtEnd && Peek() is not (';' or '}' or '{') && PeekWord() != "as")
        {
            point = ParseValue(allowDictionary: false);
        }
        return new RegistrationPoint(position, register, point);
    }

    private List<Attribute> ParseAttributeBlock()
    {
        Expect('{');
        var attributes = new List<Attribute>();
        SkipSeparators();
        while (Peek() != '}')
        {
            if (AtEnd)
            {
                throw Syntax("'}'");
            }
            attributes.Add(ParseAttribute());
            SkipWhitespace();
            if (Peek() == ';')
            {
                SkipSeparators();
            }
            else if (Peek() != '}')
            {
                throw Syntax("';' or '}'");
            }
        }
        index++;
        return attributes;
    }

    private Attribute ParseAttribute()
    {
        SkipWhitespace();
        var position = Here;
        if (Peek() == '[')
        {
            var sources = ParseSourceList();
            SkipWhitespace();
            return ParseIrqDestinations(position, sources, multi: true);
        }
        if (Peek() == '-' && Peek(1) == '>')
        {
            return ParseIrqDestinations(position, null, multi: false);
        }
        if (char.IsAsciiDigit(Peek()))
        {
            var sources = ParseSourceRange();
            SkipWhitespace();
            return ParseIrqDestinations(position, sources, multi: false);
        }
        if (!IsIdentifierStart(Peek()))
        {
            throw Syntax("an attribute (name: value, an interrupt connection or init:)");
        }
        var word = PeekWord();
        if (word is "init" or "preinit" or "reset" && LooksLikeInitBlock())
        {
            return ParseInitAttribute();
        }
        var name = ReadIdentifier();
        SkipWhitespace();
        if (Peek() == '-' && Peek(1) == '>')
        {
            return ParseIrqDestinations(position, new[] { new IrqSource(position, null, name) }, multi: false);
        }
        Expect(':');
        SkipWhitespace();
        var word2 = PeekWord();
        if (word2 == "none")
        {
            ReadIdentifier();
            return new ValueAttribute(position, name, null, isNone: true, isEmpty: false);
        }
        if (word2 == "empty")
        {
            ReadIdentifier();
            return new ValueAttribute(position, name, null, isNone: false, isEmpty: true);
        }
        if (AtEnd || Peek() is ';' or '}')
        {
            throw Syntax($"a value for '{name}'");
        }
        return new ValueAttribute(position, name, ParseValue(allowDictionary: true), isNone: false, isEmpty: false);
    }

    private bool LooksLikeInitBlock()
    {
        var save = index;
        ReadIdentifier();
        SkipWhitespace();
        if (PeekWord() == "add")
        {
            ReadIdentifier();
            SkipWhitespace();
        }
        var result = Peek() == ':';
        index = save;
        return result;
    }

    private InitAttribute ParseInitAttribute()
    {
        var position = Here;
        var kind = ReadIdentifier();
        SkipWhitespace();
        var isAdd = false;
        if (PeekWord() == "add")
        {
            ReadIdentifier();
            SkipWhitespace();
            isAdd = true;
        }
        Expect(':');
        SkipWhitespace();
        Expect('{');
        // The body is Monitor syntax, not .repl: take it raw, split on ';' outside strings, drop '#' comments.
        var statements = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        var inString = false;
        var inComment = false;
        while (true)
        {
            if (AtEnd)
            {
                throw Syntax($"'}}' closing the {kind} block");
            }
            var c = text[index++];
            if (inString)
            {
                current.Append(c);
                if (c == '\\' && !AtEnd)
                {
                    current.Append(text[index++]);
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            if (inComment)
            {
                // A '#' comment runs to the end of its statement (the prelexer turned line ends into ';').
                if (c != ';' && c != '}')
                {
                    continue;
                }
                inComment = false;
            }
            if (c == '"')
            {
                inString = true;
                current.Append(c);
            }
            else if (c == '#')
            {
                inComment = true;
            }
            else if (c == '{')
            {
                depth++;
                current.Append(c);
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
                current.Append(c);
            }
            else if (c == '}' || (c == ';' && depth == 0))
            {
                var statement = current.ToString().Trim();
                if (statement.Length > 0)
                {
                    statements.Add(statement);
                }
                current.Clear();
                if (c == '}')
                {
                    break;
                }
            }
            else
            {
                current.Append(c);
            }
        }
        return new InitAttribute(position, kind, isAdd, statements);
    }

    private List<IrqSource> ParseSourceList()
    {
        Expect('[');
        var sources = new List<IrqSource>();
        do
        {
            SkipWhitespace();
            if (IsIdentifierStart(Peek()))
            {
                var position = Here;
                sources.Add(new IrqSource(position, null, ReadIdentifier()));
            }
            else
            {
                sources.AddRange(ParseSourceRange());
            }
            SkipWhitespace();
        }
        while (TryConsume(','));
        Expect(']');
        return sources;
    }

    private List<IrqSource> ParseSourceRange()
    {
        var position = Here;
        return ReadIntRange().Select(n => new IrqSource(position, n, null)).ToList();
    }

    private IrqAttribute ParseIrqDestinations(SourcePosition position, IReadOnlyList<IrqSource>? sources, bool multi)
    {
        Expect('-');
        Expect('>');
        SkipWhitespace();
        if (PeekWord() == "none")
        {
            ReadIdentifier();
            return new IrqAttribute(position, sources, Array.Empty<IrqDestination>());
        }
        var destinations = new List<IrqDestination>();
        while (true)
        {
            SkipWhitespace();
            var destinationPosition = Here;
            if (!IsIdentifierStart(Peek()))
            {
                throw Syntax("an interrupt destination (name@pin)");
            }
            var target = ReadIdentifier();
            int? local = null;
            if (TryConsume('#'))
            {
                local = ReadInt();
            }
            SkipWhitespace();
            Expect('@');
            SkipWhitespace();
            var pins = new List<int>();
            if (Peek() == '[')
            {
                index++;
                do
                {
                    SkipWhitespace();
                    pins.AddRange(ReadIntRange());
                    SkipWhitespace();
                }
                while (TryConsume(','));
                Expect(']');
            }
            else
            {
                pins.AddRange(ReadIntRange());
            }
            destinations.Add(new IrqDestination(destinationPosition, target, local, pins));
            SkipWhitespace();
            if (TryConsume('|'))
            {
                continue;
            }
            // The '|' between destinations is optional.
            if (IsIdentifierStart(Peek()))
            {
                continue;
            }
            break;
        }
        return new IrqAttribute(position, sources, destinations);
    }

    /// <summary><c>n</c> or <c>a-b</c> (inclusive, may descend).</summary>
    private List<int> ReadIntRange()
    {
        var first = ReadInt();
        SkipWhitespace();
        if (Peek() == '-' && Peek(1) != '>')
        {
            index++;
            SkipWhitespace();
            var last = ReadInt();
            if (Math.Abs((long)last - first) >= MaxRangeLength)
            {
                throw new PlatformDescriptionException(ParsingErrorCode.SyntaxError,
                    $"Syntax error, the range {first}-{last} has more than {MaxRangeLength} elements.", Here);
            }
            var step = last >= first ? 1 : -1;
            var result = new List<int>();
            for (var n = first; n != last + step; n += step)
            {
                result.Add(n);
            }
            return result;
        }
        return new List<int> { first };
    }

    private int ReadInt()
    {
        var position = Here;
        var start = index;
        if (Peek() == '0' && (Peek(1) == 'x' || Peek(1) == 'X'))
        {
            index += 2;
        }
        while (char.IsAsciiHexDigit(Peek()) || Peek() == '_')
        {
            index++;
        }
        var token = text[start..index];
        if (token.Length == 0 || !NumberValue.TryParse(token, out var integer, out _) || integer == null || integer > int.MaxValue)
        {
            index = start;
            throw new PlatformDescriptionException(ParsingErrorCode.SyntaxError, "Syntax error, unexpected " + Describe(Peek()) + "; expected a number.", position);
        }
        return (int)integer.Value;
    }

    private Value ParseValue(bool allowDictionary)
    {
        SkipWhitespace();
        var position = Here;
        var c = Peek();
        if (c == '"')
        {
            return new StringValue(position, ReadString());
        }
        if (c == '\'' && Peek(1) == '\'' && Peek(2) == '\'')
        {
            index += 3;
            var end = text.IndexOf("'''", index, StringComparison.Ordinal);
            var content = text[index..end];
            index = end + 3;
            return new StringValue(position, content);
        }
        if (c == '<')
        {
            return ParseRange();
        }
        if (c == '[')
        {
            index++;
            var items = new List<Value?>();
            SkipWhitespace();
            while (Peek() != ']')
            {
                if (PeekWord() == "empty")
                {
                    ReadIdentifier();
                    items.Add(null);
                }
                else
                {
                    items.Add(ParseValue(allowDictionary: true));
                }
                SkipWhitespace();
                if (!TryConsume(','))
                {
                    break;
                }
                SkipWhitespace();
            }
            Expect(']');
            return new ListValue(position, items);
        }
        if (c == '{')
        {
            if (!allowDictionary)
            {
                throw Syntax("a value");
            }
            index++;
            var items = new List<KeyValuePair<Value, Value>>();
            SkipSeparators();
            while (Peek() != '}')
            {
                var key = ParseValue(allowDictionary: false);
                SkipWhitespace();
                Expect(':');
                var value = ParseValue(allowDictionary: true);
                items.Add(new(key, value));
                SkipWhitespace();
                if (Peek() != '}')
                {
                    Expect(';');
                    SkipSeparators();
                }
            }
            index++;
            return new DictionaryValue(position, items);
        }
        if (c == '-' || char.IsAsciiDigit(c))
        {
            return ParseNumber();
        }
        if (c == '.' && IsIdentifierStart(Peek(1)))
        {
            index++;
            return new EnumValue(position, null, ReadIdentifier());
        }
        if (IsIdentifierStart(c))
        {
            var word = PeekWord();
            switch (word)
            {
                case "true" or "True":
                    ReadIdentifier();
                    return new BoolValue(position, true);
                case "false" or "False":
                    ReadIdentifier();
                    return new BoolValue(position, false);
                case "new":
                    ReadIdentifier();
                    SkipWhitespace();
                    var typeName = ReadDottedName();
                    SkipWhitespace();
                    var attributes = Peek() == '{' ? ParseAttributeBlock() : new List<Attribute>();
                    return new ObjectValue(position, typeName, attributes);
            }
            var name = ReadDottedName();
            var dot = name.LastIndexOf('.');
            if (dot < 0)
            {
                if (Keywords.Contains(name))
                {
                    index -= name.Length;
                    throw Syntax("a value");
                }
                return new ReferenceValue(position, name);
            }
            return new EnumValue(position, name[..dot], name[(dot + 1)..]);
        }
        throw Syntax("a value");
    }

    private RangeValue ParseRange()
    {
        var position = Here;
        Expect('<');
        SkipWhitespace();
        var start = ReadUnsigned();
        SkipWhitespace();
        Expect(',');
        SkipWhitespace();
        var relative = TryConsume('+');
        SkipWhitespace();
        var endPosition = Here;
        var second = ReadUnsigned();
        SkipWhitespace();
        Expect('>');
        if (relative)
        {
            return new RangeValue(position, start, second);
        }
        if (second < start)
        {
            throw new PlatformDescriptionException(ParsingErrorCode.SyntaxError,
                $"Syntax error, the range ends (0x{second:X}) before it starts (0x{start:X}).", endPosition);
        }
        return new RangeValue(position, start, second - start);
    }

    private ulong ReadUnsigned()
    {
        var value = ParseNumber();
        if (value.Integer is not { } integer || integer < 0 || integer > ulong.MaxValue)
        {
            throw new PlatformDescriptionException(ParsingErrorCode.SyntaxError, $"Syntax error, {value.Text} is not an unsigned 64-bit number.", value.Position);
        }
        return (ulong)integer;
    }

    private NumberValue ParseNumber()
    {
        var position = Here;
        var start = index;
        if (Peek() == '-')
        {
            index++;
        }
        if (Peek() == '0' && (Peek(1) == 'x' || Peek(1) == 'X'))
        {
            index += 2;
            while (char.IsAsciiHexDigit(Peek()) || Peek() == '_')
            {
                index++;
            }
        }
        else
        {
            while (char.IsAsciiDigit(Peek()) || Peek() == '_')
            {
                index++;
            }
            if (Peek() == '.' && char.IsAsciiDigit(Peek(1)))
            {
                index++;
                while (char.IsAsciiDigit(Peek()) || Peek() == '_')
                {
                    index++;
                }
            }
        }
        var token = text[start..index];
        if (IsIdentifierPart(Peek()) || !NumberValue.TryParse(token, out var integer, out var real))
        {
            index = start;
            throw Syntax("a number");
        }
        return new NumberValue(position, token, integer, real);
    }

    private string ReadString()
    {
        var position = Here;
        Expect('"');
        var result = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw new PlatformDescriptionException(ParsingErrorCode.SyntaxError, "Syntax error, unterminated string.", position);
            }
            var c = text[index++];
            if (c == '"')
            {
                return result.ToString();
            }
            if (c == '\\' && Peek() is '"' or '\\')
            {
                result.Append(text[index++]);
                continue;
            }
            result.Append(c);
        }
    }

    private string ReadVariableName()
    {
        if (!IsIdentifierStart(Peek()))
        {
            throw Syntax("an entry name");
        }
        var position = Here;
        var name = ReadIdentifier();
        if (Keywords.Contains(name))
        {
            throw new PlatformDescriptionException(ParsingErrorCode.SyntaxError, $"Syntax error, '{name}' is a keyword and cannot name an entry.", position);
        }
        return name;
    }

    private string ReadDottedName()
    {
        var name = new StringBuilder(ReadIdentifier());
        while (Peek() == '.' && IsIdentifierStart(Peek(1)))
        {
            index++;
            name.Append('.').Append(ReadIdentifier());
        }
        return name.ToString();
    }

    private string ReadIdentifier()
    {
        if (!IsIdentifierStart(Peek()))
        {
            throw Syntax("an identifier");
        }
        var start = index;
        while (IsIdentifierPart(Peek()))
        {
            index++;
        }
        return text[start..index];
    }

    private string PeekWord()
    {
        var end = index;
        if (!IsIdentifierStart(Peek()))
        {
            return "";
        }
        while (end < text.Length && IsIdentifierPart(text[end]))
        {
            end++;
        }
        return text[index..end];
    }

    private void ExpectEndOfItem()
    {
        SkipWhitespace();
        if (!AtEnd && Peek() != ';')
        {
            throw Syntax("';' or the end of the entry");
        }
    }

    private void Expect(char c)
    {
        if (Peek() != c || AtEnd)
        {
            throw Syntax($"'{c}'");
        }
        index++;
    }

    private bool TryConsume(char c)
    {
        if (!AtEnd && Peek() == c)
        {
            index++;
            return true;
        }
        return false;
    }

    private void SkipWhitespace()
    {
        while (!AtEnd && char.IsWhiteSpace(text[index]))
        {
            index++;
        }
    }

    private void SkipSeparators()
    {
        while (!AtEnd && (char.IsWhiteSpace(text[index]) || text[index] == ';'))
        {
            index++;
        }
    }

    private PlatformDescriptionException Syntax(string expected) =>
        new(ParsingErrorCode.SyntaxError, $"Syntax error, unexpected {Describe(AtEnd ? '\0' : Peek())}; expected {expected}.", Here);

    private static string Describe(char c) => c == '\0' ? "end of input" : $"'{c}'";

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
