using System.Text.RegularExpressions;

namespace Emulator.Robot;

/// <summary>
/// Reads the Robot Framework syntax our suites use (space/tab separated and pipe separated rows) into a
/// <see cref="RobotSuiteFile"/>. Every error names `file:line`.
/// </summary>
public static class RobotParser
{
    private static readonly Regex Separator = new(@"[ \t]{2,}|\t", RegexOptions.Compiled);
    private static readonly Regex AssignCell = new(@"^[$@&]\{[^{}]+\}\s*=?$", RegexOptions.Compiled);
    private static readonly Regex VariableCell = new(@"^([$@&])\{([^{}]+)\}\s*=?$", RegexOptions.Compiled);

    public static RobotSuiteFile ParseFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RobotSyntaxException(new RobotSourceLocation(path, 0), $"cannot read the file: {e.Message}");
        }
        return Parse(text, path);
    }

    public static RobotSuiteFile Parse(string text, string path)
    {
        var suite = new RobotSuiteFile(path);
        var rows = ReadRows(text, path);
        var section = Section.None;
        RobotTestCase? test = null;
        RobotUserKeyword? keyword = null;
        var statements = new List<Row>();

        void FlushItem()
        {
            if (test != null)
            {
                BuildBody(statements, test.Body, path, test.Name);
            }
            else if (keyword != null)
            {
                BuildBody(statements, keyword.Body, path, keyword.Name);
            }
            test = null;
            keyword = null;
            statements.Clear();
        }

        foreach (var row in rows)
        {
            var first = row.Cells[0];
            if (first.StartsWith('*'))
            {
                FlushItem();
                section = ParseSectionHeader(row, path);
                if (section == Section.Settings)
                {
                    suite.HasSettingsSection = true;
                }
                continue;
            }
            var location = new RobotSourceLocation(path, row.Line);
            switch (section)
            {
                case Section.None:
                case Section.Comments:
                    break;
                case Section.Settings:
                    ParseSuiteSetting(suite, row.Cells.Where(c => c.Length > 0).ToList(), location);
                    break;
                case Section.Variables:
                    ParseVariable(suite, row.Cells.Where(c => c.Length > 0).ToList(), location);
                    break;
                case Section.TestCases:
                case Section.Keywords:
                    if (first.Length > 0)
                    {
                        FlushItem();
                        if (section == Section.TestCases)
                        {
                            test = new RobotTestCase(first, location);
                            suite.TestCases.Add(test);
                        }
                        else
                        {
                            keyword = new RobotUserKeyword(first, location);
                            keyword.EmbeddedArguments.AddRange(EmbeddedArgumentNames(first));
                            suite.Keywords.Add(keyword);
                        }
                    }
                    var cells = row.Cells.Skip(1).SkipWhile(c => c.Length == 0).ToList();
                    if (cells.Count == 0)
                    {
                        break;
                    }
                    var item = new Row(row.Line, cells);
                    if (cells[0].StartsWith('[') && cells[0].EndsWith(']'))
                    {
                        if (test != null)
                        {
                            ParseTestSetting(test, item, path);
                        }
                        else if (keyword != null)
                        {
                            ParseKeywordSetting(keyword, item, path);
                        }
                    }
                    else if (test == null && keyword == null)
                    {
                        throw new RobotSyntaxException(location, "a statement before the first test or keyword name (names start at column 1, steps are indented)");
                    }
                    else
                    {
                        statements.Add(item);
                    }
                    break;
            }
        }
        FlushItem();
        return suite;
    }

    /// <summary>Names in a user keyword name like `Boot On ${harts} Harts`.</summary>
    public static IEnumerable<string> EmbeddedArgumentNames(string keywordName) =>
        Regex.Matches(keywordName, @"\$\{([^}:]+)(:[^}]*)?\}").Select(m => m.Groups[1].Value);

    /// <summary>Splits one line into cells (Robot's space/tab separated or pipe separated format).</summary>
    public static List<string> SplitCells(string line)
    {
        var cells = new List<string>();
        if (line.StartsWith("| ", StringComparison.Ordinal) || line == "|")
        {
            var parts = line.Substring(1).TrimEnd().Split(" | ");
            foreach (var part in parts)
            {
                cells.Add(part.Trim().TrimEnd('|').Trim());
            }
            if (cells.Count > 0 && cells[^1].Length == 0)
            {
                cells.RemoveAt(cells.Count - 1);
            }
            return StripComment(cells);
        }
        var trimmed = line.TrimEnd();
        if (trimmed.Length > 0 && (trimmed[0] == ' ' || trimmed[0] == '\t'))
        {
            cells.Add("");
            trimmed = trimmed.TrimStart();
        }
        foreach (var part in Separator.Split(trimmed))
        {
            if (part.Length > 0 || cells.Count == 0)
            {
                cells.Add(part);
            }
        }
        return StripComment(cells);
    }

    private static List<string> StripComment(List<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i].StartsWith('#'))
            {
                cells.RemoveRange(i, cells.Count - i);
                break;
            }
        }
        return cells;
    }

    private static List<Row> ReadRows(string text, string path)
    {
        var rows = new List<Row>();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var inComments = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (i == 0 && line.Length > 0 && line[0] == '\uFEFF')
            {
                line = line.Substring(1);
            }
            if (line.StartsWith('*'))
            {
                inComments = Regex.IsMatch(line, @"^\*+\s*comments?\b", RegexOptions.IgnoreCase);
            }
            else if (inComments)
            {
                continue;
            }
            var cells = SplitCells(line);
            for (var k = 0; k < cells.Count; k++)
            {
                // Robot replaces ${CURDIR} when it reads the file, so it always means this file's directory.
                if (cells[k].Contains("${CURDIR}", StringComparison.OrdinalIgnoreCase))
                {
                    cells[k] = System.Text.RegularExpressions.Regex.Replace(cells[k], @"\$\{CURDIR\}", directory.Replace("$", "$$"), RegexOptions.IgnoreCase);
                }
            }
            if (cells.All(c => c.Length == 0))
            {
                continue;
            }
            var firstNonEmpty = cells.FindIndex(c => c.Length > 0);
            if (cells[firstNonEmpty] == "..." && rows.Count > 0)
            {
                // Continuation: the rest of the row extends the previous statement.
                rows[^1].Cells.AddRange(cells.Skip(firstNonEmpty + 1));
                continue;
            }
            rows.Add(new Row(i + 1, cells));
        }
        return rows;
    }

    private static Section ParseSectionHeader(Row row, string path)
    {
        var name = row.Cells[0].Trim('*', ' ').Trim().ToLowerInvariant();
        return name switch
        {
            "settings" or "setting" => Section.Settings,
            "variables" or "variable" => Section.Variables,
            "test cases" or "test case" or "tasks" or "task" => Section.TestCases,
            "keywords" or "keyword" => Section.Keywords,
            "comments" or "comment" => Section.Comments,
            _ => throw new RobotSyntaxException(new RobotSourceLocation(path, row.Line),
                $"unknown section '{row.Cells[0]}' (expected Settings, Variables, Test Cases, Keywords or Comments)"),
        };
    }

    private static void ParseSuiteSetting(RobotSuiteFile suite, List<string> cells, RobotSourceLocation location)
    {
        var name = RobotNames.Normalize(cells[0]);
        var args = cells.Skip(1).ToList();
        switch (name)
        {
            case "documentation":
                suite.Documentation = string.Join(" ", args);
                break;
            case "metadata":
                break;
            case "suitesetup":
                suite.SuiteSetup = Fixture(location, args);
                break;
            case "suiteteardown":
                suite.SuiteTeardown = Fixture(location, args);
                break;
            case "testsetup":
            case "tasksetup":
                suite.TestSetup = Fixture(location, args);
                break;
            case "testteardown":
            case "taskteardown":
                suite.TestTeardown = Fixture(location, args);
                break;
            case "testtemplate":
            case "tasktemplate":
                suite.TestTemplate = args.Count == 0 || args[0].ToUpperInvariant() == "NONE" ? null : args[0];
                break;
            case "testtimeout":
            case "tasktimeout":
                suite.TestTimeout = args.Count == 0 ? null : args[0];
                break;
            case "defaulttags":
                suite.DefaultTags.AddRange(args);
                break;
            case "forcetags":
            case "testtags":
            case "tasktags":
                suite.ForceTags.AddRange(args);
                break;
            case "resource":
            case "library":
            case "variables":
                if (args.Count == 0)
                {
                    throw new RobotSyntaxException(location, $"setting '{cells[0]}' needs a value");
                }
                var kind = name == "resource" ? RobotImportKind.Resource : name == "library" ? RobotImportKind.Library : RobotImportKind.Variables;
                suite.Imports.Add(new RobotImport(location, kind, args[0], args.Skip(1).ToArray()));
                break;
            default:
                throw new RobotSyntaxException(location, $"non-existing setting '{cells[0]}'");
        }
    }

    private static RobotFixture Fixture(RobotSourceLocation location, List<string> args)
    {
        if (args.Count == 0 || args[0].ToUpperInvariant() == "NONE")
        {
            return new RobotFixture(location, null);
        }
        return new RobotFixture(location, RobotKeywordStep.Call(location, args));
    }

    private static void ParseVariable(RobotSuiteFile suite, List<string> cells, RobotSourceLocation location)
    {
        var match = VariableCell.Match(cells[0]);
        if (!match.Success)
        {
            throw new RobotSyntaxException(location, $"invalid variable name '{cells[0]}' (expected ${{name}}, @{{name}} or &{{name}})");
        }
        suite.Variables.Add(new RobotVariableDefinition(location, cells[0].TrimEnd('=', ' '), cells.Skip(1).ToArray()));
    }

    private static void ParseTestSetting(RobotTestCase test, Row row, string path)
    {
        var location = new RobotSourceLocation(path, row.Line);
        var args = row.Cells.Skip(1).Where(c => c.Length > 0).ToList();
        switch (RobotNames.Normalize(row.Cells[0].Trim('[', ']')))
        {
            case "documentation":
                test.Documentation = string.Join(" ", args);
                break;
            case "tags":
                test.Tags ??= new List<string>();
                test.Tags.AddRange(args);
                break;
            case "setup":
                test.Setup = Fixture(location, args);
                break;
            case "teardown":
                test.Teardown = Fixture(location, args);
                break;
            case "timeout":
                test.Timeout = args.Count == 0 ? "NONE" : args[0];
                break;
            case "template":
                test.Template = args.Count == 0 || args[0].ToUpperInvariant() == "NONE" ? "" : args[0];
                break;
            default:
                throw new RobotSyntaxException(location, $"non-existing test setting '{row.Cells[0]}'");
        }
    }

    private static void ParseKeywordSetting(RobotUserKeyword keyword, Row row, string path)
    {
        var location = new RobotSourceLocation(path, row.Line);
        var args = row.Cells.Skip(1).Where(c => c.Length > 0).ToList();
        switch (RobotNames.Normalize(row.Cells[0].Trim('[', ']')))
        {
            case "documentation":
                keyword.Documentation = string.Join(" ", args);
                break;
            case "tags":
                keyword.Tags.AddRange(args);
                break;
            case "arguments":
                foreach (var arg in args)
                {
                    keyword.Arguments.Add(ParseArgumentSpec(arg, location));
                }
                break;
            case "teardown":
                keyword.Teardown = Fixture(location, args);
                break;
            case "return":
                keyword.ReturnValues = args;
                break;
            case "timeout":
                keyword.Timeout = args.Count == 0 ? null : args[0];
                break;
            default:
                throw new RobotSyntaxException(location, $"non-existing keyword setting '{row.Cells[0]}'");
        }
    }

    private static RobotArgumentSpec ParseArgumentSpec(string text, RobotSourceLocation location)
    {
        var eq = text.IndexOf("}=", StringComparison.Ordinal);
        var decl = eq >= 0 ? text.Substring(0, eq + 1) : text;
        var def = eq >= 0 ? text.Substring(eq + 2) : null;
        var match = VariableCell.Match(decl);
        if (!match.Success)
        {
            throw new RobotSyntaxException(location, $"invalid argument '{text}' (expected ${{name}}, ${{name}}=default, @{{name}} or &{{name}})");
        }
        var kind = match.Groups[1].Value switch
        {
            "@" => RobotArgumentKind.VarArgs,
            "&" => RobotArgumentKind.KwArgs,
            _ => RobotArgumentKind.Scalar,
        };
        if (kind != RobotArgumentKind.Scalar && def != null)
        {
            throw new RobotSyntaxException(location, $"argument '{text}' cannot have a default value");
        }
        return new RobotArgumentSpec(match.Groups[2].Value, kind, def);
    }

    private static void BuildBody(List<Row> statements, List<RobotStep> body, string path, string owner)
    {
        var index = 0;
        body.AddRange(ParseSteps(statements, ref index, path, Array.Empty<string>()));
        if (index < statements.Count)
        {
            var row = statements[index];
            throw new RobotSyntaxException(new RobotSourceLocation(path, row.Line), $"'{row.Cells[0]}' without an opening FOR, WHILE or IF in '{owner}'");
        }
    }

    /// <summary>Parses steps until a row starting with one of <paramref name="stopAt"/> (not consumed) or the end.</summary>
    private static List<RobotStep> ParseSteps(List<Row> rows, ref int index, string path, string[] stopAt)
    {
        var steps = new List<RobotStep>();
        while (index < rows.Count)
        {
            var row = rows[index];
            var cells = row.Cells;
            var head = cells[0];
            var location = new RobotSourceLocation(path, row.Line);
            if (stopAt.Contains(head))
            {
                return steps;
            }
            if (head is "END" or "ELSE" or "ELSE IF")
            {
                // A terminator this level does not expect: let the caller report it.
                return steps;
            }
            index++;
            switch (head)
            {
                case "FOR":
                    steps.Add(ParseFor(rows, ref index, path, cells, location));
                    break;
                case "WHILE":
                {
                    if (cells.Count < 2)
                    {
                        throw new RobotSyntaxException(location, "WHILE needs a condition");
                    }
                    var limit = cells.Skip(2).FirstOrDefault(c => c.StartsWith("limit=", StringComparison.OrdinalIgnoreCase));
                    var loopBody = ParseSteps(rows, ref index, path, new[] { "END" });
                    ExpectEnd(rows, ref index, location, "WHILE");
                    steps.Add(new RobotWhileStep(location, cells[1], limit?.Substring(6), loopBody));
                    break;
                }
                case "IF":
                    steps.Add(ParseIf(rows, ref index, path, cells, location));
                    break;
                case "RETURN":
                    steps.Add(new RobotReturnStep(location, cells.Skip(1).ToArray()));
                    break;
                case "BREAK":
                case "CONTINUE":
                    steps.Add(new RobotLoopControlStep(location, head == "BREAK"));
                    break;
                default:
                    steps.Add(ParseKeywordCall(cells, location));
                    break;
            }
        }
        return steps;
    }

    private static RobotKeywordStep ParseKeywordCall(List<string> cells, RobotSourceLocation location)
    {
        var assign = new List<string>();
        var i = 0;
        while (i < cells.Count - 1 && AssignCell.IsMatch(cells[i]))
        {
            assign.Add(cells[i].TrimEnd('=', ' '));
            i++;
        }
        if (i >= cells.Count || cells[i].Length == 0)
        {
            throw new RobotSyntaxException(location, "a keyword name is missing");
        }
        return new RobotKeywordStep(location, assign, cells[i], cells.Skip(i + 1).ToArray(), cells.ToArray());
    }

    private static RobotForStep ParseFor(List<Row> rows, ref int index, string path, List<string> cells, RobotSourceLocation location)
    {
        var separator = cells.FindIndex(1, c => c is "IN" or "IN RANGE" or "IN ENUMERATE" or "IN ZIP");
        if (separator < 0)
        {
            throw new RobotSyntaxException(location, "FOR loop has no 'IN', 'IN RANGE', 'IN ENUMERATE' or 'IN ZIP'");
        }
        var variables = cells.Skip(1).Take(separator - 1).ToList();
        if (variables.Count == 0 || variables.Any(v => !VariableCell.IsMatch(v)))
        {
            throw new RobotSyntaxException(location, "FOR loop needs loop variables like ${item} before IN");
        }
        var flavor = cells[separator] switch
        {
            "IN RANGE" => RobotForFlavor.InRange,
            "IN ENUMERATE" => RobotForFlavor.InEnumerate,
            "IN ZIP" => RobotForFlavor.InZip,
            _ => RobotForFlavor.In,
        };
        var body = ParseSteps(rows, ref index, path, new[] { "END" });
        ExpectEnd(rows, ref index, location, "FOR");
        return new RobotForStep(location, variables.Select(v => v.TrimEnd('=', ' ')).ToArray(), flavor, cells.Skip(separator + 1).ToArray(), body);
    }

    private static RobotIfStep ParseIf(List<Row> rows, ref int index, string path, List<string> cells, RobotSourceLocation location)
    {
        if (cells.Count < 2)
        {
            throw new RobotSyntaxException(location, "IF needs a condition");
        }
        if (cells.Count > 2)
        {
            return ParseInlineIf(cells, location);
        }
        var branches = new List<RobotIfBranch>();
        var condition = (string?)cells[1];
        var branchLocation = location;
        var sawElse = false;
        while (true)
        {
            var body = ParseSteps(rows, ref index, path, new[] { "END", "ELSE", "ELSE IF" });
            branches.Add(new RobotIfBranch(branchLocation, condition, body));
            if (index >= rows.Count)
            {
                throw new RobotSyntaxException(location, "IF has no closing END");
            }
            var row = rows[index];
            branchLocation = new RobotSourceLocation(path, row.Line);
            index++;
            if (row.Cells[0] == "END")
            {
                return new RobotIfStep(location, branches);
            }
            if (sawElse)
            {
                throw new RobotSyntaxException(branchLocation, $"'{row.Cells[0]}' after ELSE");
            }
            if (row.Cells[0] == "ELSE")
            {
                sawElse = true;
                condition = null;
            }
            else
            {
                if (row.Cells.Count < 2)
                {
                    throw new RobotSyntaxException(branchLocation, "ELSE IF needs a condition");
                }
                condition = row.Cells[1];
            }
        }
    }

    /// <summary>`IF  cond  Keyword  args  ELSE IF  cond  Keyword  ELSE  Keyword` on one row.</summary>
    private static RobotIfStep ParseInlineIf(List<string> cells, RobotSourceLocation location)
    {
        var branches = new List<RobotIfBranch>();
        var i = 0;
        while (i < cells.Count)
        {
            string? condition = null;
            if (cells[i] is "IF" or "ELSE IF")
            {
                if (i + 1 >= cells.Count)
                {
                    throw new RobotSyntaxException(location, $"{cells[i]} needs a condition");
                }
                condition = cells[i + 1];
                i += 2;
            }
            else
            {
                i++;
            }
            var end = cells.FindIndex(i, c => c is "ELSE" or "ELSE IF");
            var statement = cells.Skip(i).Take((end < 0 ? cells.Count : end) - i).ToList();
            if (statement.Count == 0)
            {
                throw new RobotSyntaxException(location, "inline IF branch has no keyword");
            }
            RobotStep body = statement[0] switch
            {
                "RETURN" => new RobotReturnStep(location, statement.Skip(1).ToArray()),
                "BREAK" or "CONTINUE" => new RobotLoopControlStep(location, statement[0] == "BREAK"),
                _ => ParseKeywordCall(statement, location),
            };
            branches.Add(new RobotIfBranch(location, condition, new[] { body }));
            if (end < 0)
            {
                break;
            }
            i = end;
            if (condition == null)
            {
                throw new RobotSyntaxException(location, "ELSE must be the last branch of an inline IF");
            }
        }
        return new RobotIfStep(location, branches);
    }

    private static void ExpectEnd(List<Row> rows, ref int index, RobotSourceLocation opening, string what)
    {
        if (index >= rows.Count || rows[index].Cells[0] != "END")
        {
            if (index < rows.Count)
            {
                throw new RobotSyntaxException(new RobotSourceLocation(opening.File, rows[index].Line), $"'{rows[index].Cells[0]}' inside {what} (opened at line {opening.Line}) without IF");
            }
            throw new RobotSyntaxException(opening, $"{what} has no closing END");
        }
        index++;
    }

    private enum Section
    {
        None,
        Settings,
        Variables,
        TestCases,
        Keywords,
        Comments,
    }

    private sealed record Row(int Line, List<string> Cells);
}
