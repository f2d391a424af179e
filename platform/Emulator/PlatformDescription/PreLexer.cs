using System.Text;

namespace Emulator.PlatformDescription;

/// <summary>
/// The line stage of the .repl parser, after Renode's PreLexer: drops comments (<c>//</c> at column 1 or after
/// whitespace, and <c>/* */</c>), keeps <c>'''</c> strings whole across lines, and turns indentation (spaces,
/// multiples of 4) into braces: a deeper line opens <c>{</c> after the previous one, a line at the same
/// level adds <c>;</c>, a shallower one closes <c>}</c> and adds <c>;</c>. Inside explicit braces line
/// structure does not matter.
/// </summary>
public static class PreLexer
{
    private const int IndentWidth = 4;

    public static PreLexedText Process(SourceFile file, string text)
    {
        var lines = SplitLogicalLines(file, text.Replace("\r", ""));
        var output = new StringBuilder();
        var positions = new PositionBuffer(text.Length + 16);
        var level = 0;
        var braceDepth = 0;
        var first = true;
        SourcePosition endOfPrevious = new(file, 1, 1);

        void Emit(string s, SourcePosition at)
        {
            foreach (var c in s)
            {
                output.Append(c);
                positions.Add(at);
            }
        }

        foreach (var line in lines)
        {
            var firstCode = line.FindIndex(c => c.Char != ' ');
            if (firstCode < 0)
            {
                continue;
            }
            if (braceDepth > 0)
            {
                // Inside an explicit { ... } block: whitespace and newlines are insignificant.
                Emit(" ", endOfPrevious);
            }
            else
            {
                if (line[firstCode].Char == '\t')
                {
                    throw new PlatformDescriptionException(ParsingErrorCode.WrongIndent,
                        "Indentation must use spaces, not tabs.", line[firstCode].Position);
                }
                var indent = firstCode;
                if (indent % IndentWidth != 0)
                {
                    throw new PlatformDescriptionException(ParsingErrorCode.WrongIndent,
                        $"Wrong indentation: {indent} spaces; indentation must be a multiple of {IndentWidth} spaces.", line[firstCode].Position);
                }
                var newLevel = indent / IndentWidth;
                if (first && newLevel != 0)
                {
                    throw new PlatformDescriptionException(ParsingErrorCode.WrongIndent,
                        "Wrong indentation: the first line must not be indented.", line[firstCode].Position);
                }
                if (newLevel > level + 1)
                {
                    throw new PlatformDescriptionException(ParsingErrorCode.WrongIndent,
                        $"Wrong indentation: {indent} spaces, at most {(level + 1) * IndentWidth} expected here.", line[firstCode].Position);
                }
                if (!first)
                {
                    if (newLevel == level + 1)
                    {
                        Emit(" {", endOfPrevious);
                    }
                    else if (newLevel == level)
                    {
                        Emit(";", endOfPrevious);
                    }
                    else
                    {
                        Emit(new string('}', level - newLevel) + ";", endOfPrevious);
                    }
                    Emit(" ", endOfPrevious);
                }
                level = newLevel;
            }
            first = false;
            for (var i = firstCode; i < line.Count; i++)
            {
                output.Append(line[i].Char);
                positions.Add(line[i].Position);
                if (line[i].IsCode)
                {
                    if (line[i].Char == '{')
                    {
                        braceDepth++;
                    }
                    else if (line[i].Char == '}')
                    {
                        braceDepth = Math.Max(0, braceDepth - 1);
                    }
                }
            }
            var last = line[^1].Position;
            endOfPrevious = last with { Column = last.Column + 1 };
        }
        if (level > 0)
        {
            Emit(new string('}', level), endOfPrevious);
        }
        positions.Add(endOfPrevious);
        return new PreLexedText(file, output.ToString(), positions.ToArray());
    }

    // Classes and a plain array rather than lists of structs: generic code over a struct is JIT-compiled when the
    // first board loads, which every run of a .resc pays.
    private sealed record SourceChar(char Char, SourcePosition Position, bool IsCode);

    /// <summary>The source position of each output character, in a growing array.</summary>
    private sealed class PositionBuffer(int capacity)
    {
        private SourcePosition[] items = new SourcePosition[Math.Max(capacity, 16)];
        private int count;

        public void Add(SourcePosition position)
        {
            if (count == items.Length)
            {
                var larger = new SourcePosition[items.Length * 2];
                for (var i = 0; i < count; i++)
                {
                    larger[i] = items[i];
                }
                items = larger;
            }
            items[count++] = position;
        }

        public SourcePosition[] ToArray()
        {
            var result = new SourcePosition[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = items[i];
            }
            return result;
        }
    }

    /// <summary>Splits into lines with comments removed; a ''' string spanning lines stays in one logical line.</summary>
    private static List<List<SourceChar>> SplitLogicalLines(SourceFile file, string text)
    {
        var lines = new List<List<SourceChar>>();
        var current = new List<SourceChar>();
        var line = 1;
        var column = 1;
        var inString = false;
        var inMultiLineString = false;
        var inBlockComment = false;
        SourcePosition blockCommentStart = default;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var position = new SourcePosition(file, line, column);
            if (c == '\n')
            {
                if (inString)
                {
                    throw new PlatformDescriptionException(ParsingErrorCode.SyntaxError, "Syntax error, unterminated string.", position);
                }
                if (inMultiLineString)
                {
                    current.Add(new SourceChar(c, position, false));
                }
                else
                {
                    lines.Add(current);
                    current = new List<SourceChar>();
                }
                line++;
                column = 1;
                continue;
            }
            column++;
            if (inBlockComment)
            {
                if (c == '*' && i + 1 < text.Length && text[i + 1] == '/')
                {
                    inBlockComment = false;
                    i++;
                    column++;
                }
                continue;
            }
            if (inMultiLineString)
            {
                current.Add(new SourceChar(c, position, false));
                if (c == '\'' && Next(text, i, "'''"))
                {
                    current.Add(new SourceChar('\'', position, false));
                    current.Add(new SourceChar('\'', position, false));
                    i += 2;
                    column += 2;
                    inMultiLineString = false;
                }
                continue;
            }
            if (inString)
            {
                current.Add(new SourceChar(c, position, false));
                if (c == '\\' && i + 1 < text.Length && text[i + 1] != '\n')
                {
                    current.Add(new SourceChar(text[i + 1], position with { Column = column }, false));
                    i++;
                    column++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            if (c == '"')
            {
                inString = true;
                current.Add(new SourceChar(c, position, false));
                continue;
            }
            if (c == '\'' && Next(text, i, "'''"))
            {
                inMultiLineString = true;
                current.Add(new SourceChar(c, position, false));
                current.Add(new SourceChar('\'', position, false));
                current.Add(new SourceChar('\'', position, false));
                i += 2;
                column += 2;
                continue;
            }
            // `//` starts a comment only at the start of a line or after whitespace, so `a//b` (URLs) survives.
            if (c == '/' && Next(text, i, "//") && (column == 2 || text[i - 1] is ' ' or '\t'))
            {
                while (i + 1 < text.Length && text[i + 1] != '\n')
                {
                    i++;
                }
                continue;
            }
            if (c == '/' && Next(text, i, "/*"))
            {
                inBlockComment = true;
                blockCommentStart = position;
                i++;
                column++;
                continue;
            }
            current.Add(new SourceChar(c, position, true));
        }
        if (inBlockComment)
        {
            throw new PlatformDescriptionException(ParsingErrorCode.SyntaxError, "Syntax error, unterminated comment.", blockCommentStart);
        }
        if (inString || inMultiLineString)
        {
            throw new PlatformDescriptionException(ParsingErrorCode.SyntaxError, "Syntax error, unterminated string.", new SourcePosition(file, line, column));
        }
        lines.Add(current);
        // Trailing whitespace is dropped so a separator lands right after the last character.
        foreach (var l in lines)
        {
            while (l.Count > 0 && l[^1].Char is ' ' or '\t')
            {
                l.RemoveAt(l.Count - 1);
            }
        }
        return lines;
    }

    private static bool Next(string text, int i, string what) => string.CompareOrdinal(text, i, what, 0, what.Length) == 0;
}
