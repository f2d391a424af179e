using System.Globalization;
using System.Text.RegularExpressions;

namespace Emulator.Robot;

/// <summary>
/// The BuiltIn keywords our suites use (plus a few from String, Collections and OperatingSystem), with
/// Robot Framework's names and argument names. Parameter names are snake_case on purpose: they are the
/// names Robot users pass as `name=value`.
/// </summary>
public sealed class RobotBuiltInKeywords
{
    [RobotKeyword("Fails if the given objects are unequal.")]
    public void ShouldBeEqual(object? first, object? second, string? msg = null, bool values = true, bool ignore_case = false,
        string formatter = "str", bool strip_spaces = false, bool collapse_spaces = false)
    {
        if (first is string a && second is string b)
        {
            (a, b) = (Prepare(a, ignore_case, strip_spaces, collapse_spaces), Prepare(b, ignore_case, strip_spaces, collapse_spaces));
            if (a != b)
            {
                Fail(msg, values, $"{Format(first, formatter)} != {Format(second, formatter)}");
            }
            return;
        }
        if (!RobotValues.ValueEquals(first, second) || (first is string) != (second is string))
        {
            Fail(msg, values, $"{Format(first, formatter)} != {Format(second, formatter)}");
        }
    }

    [RobotKeyword("Fails if the given objects are equal.")]
    public void ShouldNotBeEqual(object? first, object? second, string? msg = null, bool values = true, bool ignore_case = false)
    {
        var equal = first is string a && second is string b
            ? string.Equals(a, b, ignore_case ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
            : RobotValues.ValueEquals(first, second) && (first is string) == (second is string);
        if (equal)
        {
            Fail(msg, values, $"{RobotValues.ToText(first)} == {RobotValues.ToText(second)}");
        }
    }

    [RobotKeyword("Fails if objects are unequal after converting them to integers.")]
    public void ShouldBeEqualAsIntegers(object? first, object? second, string? msg = null, bool values = true, object? @base = null)
    {
        var a = ConvertToInteger(first, @base);
        var b = ConvertToInteger(second, @base);
        if (a != b)
        {
            Fail(msg, values, $"{a} != {b}");
        }
    }

    [RobotKeyword("Fails if objects are equal after converting them to integers.")]
    public void ShouldNotBeEqualAsIntegers(object? first, object? second, string? msg = null, bool values = true, object? @base = null)
    {
        var a = ConvertToInteger(first, @base);
        var b = ConvertToInteger(second, @base);
        if (a == b)
        {
            Fail(msg, values, $"{a} == {b}");
        }
    }

    [RobotKeyword("Fails if objects are unequal after converting them to numbers.")]
    public void ShouldBeEqualAsNumbers(object? first, object? second, string? msg = null, bool values = true, int precision = 6)
    {
        var a = Math.Round(ConvertToNumber(first), precision);
        var b = Math.Round(ConvertToNumber(second), precision);
        if (a != b)
        {
            Fail(msg, values, $"{RobotValues.ToText(a)} != {RobotValues.ToText(b)}");
        }
    }

    [RobotKeyword("Fails if objects are unequal after converting them to strings.")]
    public void ShouldBeEqualAsStrings(object? first, object? second, string? msg = null, bool values = true, bool ignore_case = false,
        bool strip_spaces = false, bool collapse_spaces = false)
    {
        ShouldBeEqual(RobotValues.ToText(first), RobotValues.ToText(second), msg, values, ignore_case, "str", strip_spaces, collapse_spaces);
    }

    [RobotKeyword("Fails if container does not contain item one or more times.")]
    public void ShouldContain(object? container, object? item, string? msg = null, bool values = true, bool ignore_case = false,
        bool strip_spaces = false, bool collapse_spaces = false)
    {
        if (!Contains(container, item, ignore_case, strip_spaces, collapse_spaces))
        {
            Fail(msg, values, $"{Describe(container)} does not contain {Describe(item)}");
        }
    }

    [RobotKeyword("Fails if container contains item one or more times.")]
    public void ShouldNotContain(object? container, object? item, string? msg = null, bool values = true, bool ignore_case = false)
    {
        if (Contains(container, item, ignore_case, false, false))
        {
            Fail(msg, values, $"{Describe(container)} contains {Describe(item)}");
        }
    }

    [RobotKeyword("Fails if container does not contain item count times.")]
    public void ShouldContainXTimes(object? container, object? item, long count, string? msg = null, bool ignore_case = false)
    {
        var actual = GetCount(container, item);
        if (actual != count)
        {
            Fail(msg, true, $"{Describe(container)} contains {Describe(item)} {actual} times, not {count} times.");
        }
    }

    [RobotKeyword("Fails unless the string matches the regular expression (searched anywhere); returns the match, or the match and its groups.")]
    public object? ShouldMatchRegexp(string @string, string pattern, string? msg = null, bool values = true, string? flags = null)
    {
        var match = Regex.Match(@string, pattern, ParseFlags(flags));
        if (!match.Success)
        {
            Fail(msg, values, $"'{@string}' does not match '{pattern}'");
        }
        if (match.Groups.Count == 1)
        {
            return match.Value;
        }
        var result = new List<object?> { match.Value };
        result.AddRange(match.Groups.Cast<Group>().Skip(1).Select(g => (object?)(g.Success ? g.Value : null)));
        return result;
    }

    [RobotKeyword("Fails if the string matches the regular expression.")]
    public void ShouldNotMatchRegexp(string @string, string pattern, string? msg = null, bool values = true)
    {
        if (Regex.IsMatch(@string, pattern))
        {
            Fail(msg, values, $"'{@string}' matches '{pattern}'");
        }
    }

    [RobotKeyword("Fails unless the string matches the glob pattern (`*`, `?`).")]
    public void ShouldMatch(string @string, string pattern, string? msg = null, bool values = true, bool ignore_case = false)
    {
        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$";
        if (!Regex.IsMatch(@string, regex, RegexOptions.Singleline | (ignore_case ? RegexOptions.IgnoreCase : RegexOptions.None)))
        {
            Fail(msg, values, $"'{@string}' does not match '{pattern}'");
        }
    }

    [RobotKeyword("Fails unless the string starts with the prefix.")]
    public void ShouldStartWith(string str1, string str2, string? msg = null, bool values = true, bool ignore_case = false)
    {
        if (!str1.StartsWith(str2, ignore_case ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            Fail(msg, values, $"'{str1}' does not start with '{str2}'");
        }
    }

    [RobotKeyword("Fails unless the string ends with the suffix.")]
    public void ShouldEndWith(string str1, string str2, string? msg = null, bool values = true, bool ignore_case = false)
    {
        if (!str1.EndsWith(str2, ignore_case ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            Fail(msg, values, $"'{str1}' does not end with '{str2}'");
        }
    }

    [RobotKeyword("Fails if the condition (a Python-like expression) is not true.")]
    public void ShouldBeTrue(RobotExecutionContext context, object? condition, string? msg = null)
    {
        if (!RobotValues.IsTruthy(Condition(context, condition)))
        {
            throw new RobotKeywordException(msg ?? $"'{RobotValues.ToText(condition)}' should be true.");
        }
    }

    [RobotKeyword("Fails if the condition is true.")]
    public void ShouldNotBeTrue(RobotExecutionContext context, object? condition, string? msg = null)
    {
        if (RobotValues.IsTruthy(Condition(context, condition)))
        {
            throw new RobotKeywordException(msg ?? $"'{RobotValues.ToText(condition)}' should not be true.");
        }
    }

    [RobotKeyword("Fails unless the item is empty.")]
    public void ShouldBeEmpty(object? item, string? msg = null)
    {
        if (GetLength(item) != 0)
        {
            throw new RobotKeywordException(msg ?? $"'{RobotValues.ToText(item)}' should be empty.");
        }
    }

    [RobotKeyword("Fails if the item is empty.")]
    public void ShouldNotBeEmpty(object? item, string? msg = null)
    {
        if (GetLength(item) == 0)
        {
            throw new RobotKeywordException(msg ?? $"'{RobotValues.ToText(item)}' should not be empty.");
        }
    }

    [RobotKeyword("Fails unless the item has the given length.")]
    public void LengthShouldBe(object? item, long length, string? msg = null)
    {
        var actual = GetLength(item);
        if (actual != length)
        {
            throw new RobotKeywordException(msg ?? $"Length of '{RobotValues.ToText(item)}' should be {length} but is {actual}.");
        }
    }

    [RobotKeyword("Returns the length of a string, list or dictionary.")]
    public long GetLength(object? item) => item switch
    {
        string s => s.Length,
        System.Collections.ICollection c => c.Count,
        _ => throw new RobotKeywordException($"Could not get length of '{RobotValues.ToText(item)}'."),
    };

    [RobotKeyword("Returns how many times item is in container.")]
    public long GetCount(object? container, object? item)
    {
        if (container is string s)
        {
            var sub = RobotValues.ToText(item);
            return sub.Length == 0 ? 0 : (s.Length - s.Replace(sub, "").Length) / sub.Length;
        }
        return RobotValues.ToList(container).Count(x => RobotValues.ValueEquals(x, item));
    }

    [RobotKeyword("Runs the keyword with the arguments and returns its value.", TakesRawArguments = true)]
    public object? RunKeyword(RobotExecutionContext context, params string[] name_and_args) =>
        name_and_args.Length == 0 ? throw new RobotKeywordException("Keyword 'Run Keyword' expected at least 1 argument, got 0.") : RunCells(context, name_and_args);

    [RobotKeyword("Runs several keywords; with `AND` between them each may take arguments.", TakesRawArguments = true)]
    public void RunKeywords(RobotExecutionContext context, params string[] keywords)
    {
        var calls = new List<List<string>>();
        if (keywords.Contains("AND"))
        {
            var current = new List<string>();
            foreach (var cell in keywords)
            {
                if (cell == "AND")
                {
                    calls.Add(current);
                    current = new List<string>();
                }
                else
                {
                    current.Add(cell);
                }
            }
            calls.Add(current);
        }
        else
        {
            calls.AddRange(keywords.Select(k => new List<string> { k }));
        }
        foreach (var call in calls.Where(c => c.Count > 0))
        {
            RunCells(context, call);
        }
    }

    [RobotKeyword("Runs the keyword if the condition is true; supports ELSE IF and ELSE.", TakesRawArguments = true)]
    public object? RunKeywordIf(RobotExecutionContext context, params string[] condition_name_and_args)
    {
        var cells = condition_name_and_args.ToList();
        while (cells.Count > 0)
        {
            var condition = context.LocalVariables.Resolve(cells[0]);
            var end = cells.FindIndex(1, c => c is "ELSE" or "ELSE IF");
            var branch = cells.Skip(1).Take((end < 0 ? cells.Count : end) - 1).ToList();
            if (RobotValues.IsTruthy(Condition(context, condition)))
            {
                return branch.Count == 0 ? null : RunCells(context, branch);
            }
            if (end < 0)
            {
                return null;
            }
            if (cells[end] == "ELSE")
            {
                var rest = cells.Skip(end + 1).ToList();
                return rest.Count == 0 ? null : RunCells(context, rest);
            }
            cells = cells.Skip(end + 1).ToList();
        }
        return null;
    }

    [RobotKeyword("Runs the keyword if the condition is false.", TakesRawArguments = true)]
    public object? RunKeywordUnless(RobotExecutionContext context, params string[] condition_name_and_args)
    {
        if (condition_name_and_args.Length < 2)
        {
            throw new RobotKeywordException("Keyword 'Run Keyword Unless' expected at least 2 arguments.");
        }
        var condition = context.LocalVariables.Resolve(condition_name_and_args[0]);
        return RobotValues.IsTruthy(Condition(context, condition)) ? null : RunCells(context, condition_name_and_args.Skip(1).ToList());
    }

    [RobotKeyword("Runs the keyword and passes if it fails with the expected error (glob, or prefixed EQUALS:, STARTS:, REGEXP:, GLOB:).", TakesRawArguments = true)]
    public string RunKeywordAndExpectError(RobotExecutionContext context, params string[] expected_error_name_and_args)
    {
        if (expected_error_name_and_args.Length < 2)
        {
            throw new RobotKeywordException("Keyword 'Run Keyword And Expect Error' expected at least 2 arguments.");
        }
        var expected = context.LocalVariables.ReplaceString(expected_error_name_and_args[0]);
        try
        {
            RunCells(context, expected_error_name_and_args.Skip(1).ToList());
        }
        catch (RobotKeywordException e) when (e.Status == RobotTestStatus.Fail && !e.IsTimeout)
        {
            if (!ErrorMatches(expected, e.Message))
            {
                throw new RobotKeywordException($"Expected error '{expected}' but got '{e.Message}'.");
            }
            return e.Message;
        }
        throw new RobotKeywordException($"Expected error '{expected}' did not occur.");
    }

    [RobotKeyword("Runs the keyword and returns [status, value or error] instead of failing.", TakesRawArguments = true)]
    public List<object?> RunKeywordAndIgnoreError(RobotExecutionContext context, params string[] name_and_args)
    {
        try
        {
            return new List<object?> { "PASS", RunCells(context, name_and_args) };
        }
        catch (RobotKeywordException e) when (e.Status == RobotTestStatus.Fail && !e.IsTimeout)
        {
            return new List<object?> { "FAIL", e.Message };
        }
    }

    [RobotKeyword("Runs the keyword and returns True if it passed, False if it failed.", TakesRawArguments = true)]
    public bool RunKeywordAndReturnStatus(RobotExecutionContext context, params string[] name_and_args) =>
        (string)RunKeywordAndIgnoreError(context, name_and_args)[0]! == "PASS";

    [RobotKeyword("Runs the keyword if the test failed (in a test teardown).", TakesRawArguments = true)]
    public object? RunKeywordIfTestFailed(RobotExecutionContext context, params string[] name_and_args)
    {
        if (context.TestStatus == null)
        {
            throw new RobotKeywordException("Keyword 'Run Keyword If Test Failed' can only be used in test teardown.");
        }
        return context.TestStatus == "FAIL" ? RunCells(context, name_and_args) : null;
    }

    [RobotKeyword("Runs the keyword if the test passed (in a test teardown).", TakesRawArguments = true)]
    public object? RunKeywordIfTestPassed(RobotExecutionContext context, params string[] name_and_args)
    {
        if (context.TestStatus == null)
        {
            throw new RobotKeywordException("Keyword 'Run Keyword If Test Passed' can only be used in test teardown.");
        }
        return context.TestStatus == "PASS" ? RunCells(context, name_and_args) : null;
    }

    [RobotKeyword("Retries the keyword until it passes: retry is a count (`5x`) or a time (`30s`); waits retry_interval between tries.", TakesRawArguments = true)]
    public object? WaitUntilKeywordSucceeds(RobotExecutionContext context, params string[] retry_retry_interval_name_and_args)
    {
        var cells = retry_retry_interval_name_and_args;
        if (cells.Length < 3)
        {
            throw new RobotKeywordException("Keyword 'Wait Until Keyword Succeeds' expected at least 3 arguments.");
        }
        var retry = context.LocalVariables.ReplaceString(cells[0]).Trim();
        var interval = RobotTime.Parse(context.LocalVariables.ReplaceString(cells[1]));
        int? count = retry.EndsWith('x') || retry.EndsWith("times", StringComparison.OrdinalIgnoreCase)
            ? int.Parse(Regex.Match(retry, "^[0-9]+").Value, CultureInfo.InvariantCulture) : null;
        var deadline = count == null ? DateTime.UtcNow + RobotTime.Parse(retry) : DateTime.MaxValue;
        var attempt = 0;
        while (true)
        {
            attempt++;
            try
            {
                return RunCells(context, cells.Skip(2).ToList());
            }
            catch (RobotKeywordException e) when (e.Status == RobotTestStatus.Fail && !e.IsTimeout)
            {
                if ((count != null && attempt >= count) || (count == null && DateTime.UtcNow + interval > deadline))
                {
                    throw new RobotKeywordException(count != null
                        ? $"Keyword '{cells[2]}' failed after retrying {count} times. The last error was: {e.Message}"
                        : $"Keyword '{cells[2]}' failed after retrying for {retry}. The last error was: {e.Message}");
                }
                context.Cancellation.WaitHandle.WaitOne(interval);
                context.Cancellation.ThrowIfCancellationRequested();
            }
        }
    }

    [RobotKeyword("Runs the keyword repeat times (`3`, `3x`, `3 times`).", TakesRawArguments = true)]
    public void RepeatKeyword(RobotExecutionContext context, params string[] repeat_name_and_args)
    {
        if (repeat_name_and_args.Length < 2)
        {
            throw new RobotKeywordException("Keyword 'Repeat Keyword' expected at least 2 arguments.");
        }
        var text = context.LocalVariables.ReplaceString(repeat_name_and_args[0]);
        var number = Regex.Match(text, "^\\s*([0-9]+)");
        if (!number.Success)
        {
            throw new RobotKeywordException($"Invalid repeat count '{text}'.");
        }
        for (var i = 0; i < int.Parse(number.Groups[1].Value, CultureInfo.InvariantCulture); i++)
        {
            RunCells(context, repeat_name_and_args.Skip(1).ToList());
        }
    }

    [RobotKeyword("Sets a variable visible in the rest of the current test.", TakesVariableName = true)]
    public void SetTestVariable(RobotExecutionContext context, string name, params object?[] values) =>
        context.SetTestVariable(VariableName(name), VariableValue(context, name, values));

    [RobotKeyword("Sets a variable visible in the rest of the current suite.", TakesVariableName = true)]
    public void SetSuiteVariable(RobotExecutionContext context, string name, params object?[] values) =>
        context.SetSuiteVariable(VariableName(name), VariableValue(context, name, values));

    [RobotKeyword("Sets a variable visible everywhere.", TakesVariableName = true)]
    public void SetGlobalVariable(RobotExecutionContext context, string name, params object?[] values) =>
        context.SetGlobalVariable(VariableName(name), VariableValue(context, name, values));

    [RobotKeyword("Returns the value (several values as a list).")]
    public object? SetVariable(params object?[] values) => values.Length switch
    {
        0 => "",
        1 => values[0],
        _ => values.ToList(),
    };

    [RobotKeyword("Returns the first value if the condition is true, else the second.")]
    public object? SetVariableIf(RobotExecutionContext context, object? condition, params object?[] values)
    {
        if (values.Length == 0)
        {
            throw new RobotKeywordException("Keyword 'Set Variable If' expected at least 2 arguments.");
        }
        return RobotValues.IsTruthy(Condition(context, condition)) ? values[0] : values.Length > 1 ? values[1] : null;
    }

    [RobotKeyword("Returns the variable's value, or the default when it does not exist.", TakesVariableName = true)]
    public object? GetVariableValue(RobotExecutionContext context, string name, object? @default = null) =>
        context.LocalVariables.TryGet(VariableName(name), out var value) ? value : @default;

    [RobotKeyword("Fails unless the variable exists.", TakesVariableName = true)]
    public void VariableShouldExist(RobotExecutionContext context, string name, string? msg = null)
    {
        if (!context.LocalVariables.TryGet(VariableName(name), out _))
        {
            throw new RobotKeywordException(msg ?? $"Variable '{name}' does not exist.");
        }
    }

    [RobotKeyword("Fails if the variable exists.", TakesVariableName = true)]
    public void VariableShouldNotExist(RobotExecutionContext context, string name, string? msg = null)
    {
        if (context.LocalVariables.TryGet(VariableName(name), out _))
        {
            throw new RobotKeywordException(msg ?? $"Variable '{name}' exists.");
        }
    }

    [RobotKeyword("Logs the message (console=True also prints it).")]
    public void Log(RobotExecutionContext context, object? message, string level = "INFO", bool html = false, bool console = false, string repr = "DEPRECATED", string formatter = "str")
    {
        var text = Format(message, formatter);
        context.Messages.Add($"{level.ToUpperInvariant()}: {text}");
        if (console)
        {
            context.Console?.WriteLine(text);
        }
    }

    [RobotKeyword("Logs each message.")]
    public void LogMany(RobotExecutionContext context, params object?[] messages)
    {
        foreach (var message in messages)
        {
            context.Messages.Add("INFO: " + RobotValues.ToText(message));
        }
    }

    [RobotKeyword("Prints the message on the console.")]
    public void LogToConsole(RobotExecutionContext context, object? message, string stream = "STDOUT", bool no_newline = false, string format = "")
    {
        var text = RobotValues.ToText(message);
        if (no_newline)
        {
            context.Console?.Write(text);
        }
        else
        {
            context.Console?.WriteLine(text);
        }
    }

    [RobotKeyword("Does nothing; its arguments are a comment.")]
    public void Comment(params object?[] messages)
    {
    }

    [RobotKeyword("Does nothing.")]
    public void NoOperation()
    {
    }

    [RobotKeyword("Sets the log level (accepted for compatibility; returns the previous level).")]
    public string SetLogLevel(string level) => "INFO";

    [RobotKeyword("Fails the test with the message.")]
    public void Fail(string? msg = null, params string[] tags) => throw new RobotKeywordException(msg ?? "AssertionError");

    [RobotKeyword("Stops the whole run.")]
    public void FatalError(string? msg = null) => throw new RobotKeywordException(msg ?? "AssertionError");

    [RobotKeyword("Ends the test as passed.")]
    public void PassExecution(string message, params string[] tags) =>
        throw new RobotControlException(RobotTestStatus.Pass, message);

    [RobotKeyword("Ends the test as skipped.")]
    public void Skip(string msg = "Skipped with Skip keyword.") => throw new RobotControlException(RobotTestStatus.Skip, msg);

    [RobotKeyword("Ends the test as skipped if the condition is true.")]
    public void SkipIf(RobotExecutionContext context, object? condition, string? msg = null)
    {
        if (RobotValues.IsTruthy(Condition(context, condition)))
        {
            throw new RobotControlException(RobotTestStatus.Skip, msg ?? RobotValues.ToText(condition));
        }
    }

    [RobotKeyword("Returns from the enclosing user keyword.")]
    public void ReturnFromKeyword(RobotExecutionContext context, params object?[] return_values) =>
        context.ReturnFromKeyword(return_values.Length == 0 ? null : return_values.Length == 1 ? return_values[0] : return_values.ToList());

    [RobotKeyword("Returns from the enclosing user keyword if the condition is true.")]
    public void ReturnFromKeywordIf(RobotExecutionContext context, object? condition, params object?[] return_values)
    {
        if (RobotValues.IsTruthy(Condition(context, condition)))
        {
            ReturnFromKeyword(context, return_values);
        }
    }

    [RobotKeyword("Joins the items with a space (or `SEPARATOR=<sep>` given first).")]
    public string Catenate(params object?[] items)
    {
        var texts = items.Select(RobotValues.ToText).ToList();
        var separator = " ";
        if (texts.Count > 0 && texts[0].StartsWith("SEPARATOR=", StringComparison.Ordinal))
        {
            separator = texts[0].Substring("SEPARATOR=".Length);
            texts.RemoveAt(0);
        }
        return string.Join(separator, texts);
    }

    [RobotKeyword("Converts to an integer; `0x`, `0b`, `0o` prefixes and an explicit base are understood.")]
    public long ConvertToInteger(object? item, object? @base = null)
    {
        if (item is long l && @base == null)
        {
            return l;
        }
        if (item is double d && @base == null)
        {
            return (long)d;
        }
        var text = RobotValues.ToText(item).Trim();
        if (@base != null && RobotValues.ToText(@base) is var b && b.Length > 0 && b.ToUpperInvariant() != "NONE")
        {
            try
            {
                var negative = text.StartsWith('-');
                var digits = text.TrimStart('-', '+');
                var radix = (int)ConvertToInteger(b);
                if (radix == 16 && digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                {
                    digits = digits.Substring(2);
                }
                var value = Convert.ToInt64(digits, radix);
                return negative ? -value : value;
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                throw new RobotKeywordException($"'{text}' cannot be converted to an integer: {e.Message}");
            }
        }
        if (RobotValues.TryParseInteger(text, out var parsed))
        {
            return parsed;
        }
        if (RobotValues.TryParseDouble(text, out var real))
        {
            return (long)real;
        }
        throw new RobotKeywordException($"'{text}' cannot be converted to an integer.");
    }

    [RobotKeyword("Converts to a floating point number.")]
    public double ConvertToNumber(object? item, object? precision = null)
    {
        var value = RobotValues.AsNumber(item) ?? (RobotValues.TryParseDouble(RobotValues.ToText(item), out var d) ? d
            : RobotValues.TryParseInteger(RobotValues.ToText(item), out var l) ? l
            : throw new RobotKeywordException($"'{RobotValues.ToText(item)}' cannot be converted to a floating point number."));
        return precision == null ? value : Math.Round(value, (int)ConvertToInteger(precision));
    }

    [RobotKeyword("Converts to a string.")]
    public string ConvertToString(object? item) => RobotValues.ToText(item);

    [RobotKeyword("Converts to a boolean (`True`/`False` strings, numbers).")]
    public bool ConvertToBoolean(object? item) => item is string s
        ? s.Trim().ToUpperInvariant() switch
        {
            "TRUE" => true,
            "FALSE" => false,
            _ => RobotValues.IsTruthy(s),
        }
        : RobotValues.IsTruthy(item);

    [RobotKeyword("Converts to a hexadecimal string.")]
    public string ConvertToHex(object? item, object? @base = null, string? prefix = null, object? length = null, bool lowercase = false)
    {
        var value = ConvertToInteger(item, @base);
        var text = value.ToString(lowercase ? "x" : "X", CultureInfo.InvariantCulture);
        if (length != null)
        {
            text = text.PadLeft((int)ConvertToInteger(length), '0');
        }
        return (prefix ?? "") + text;
    }

    [RobotKeyword("Evaluates a Python-like expression (comparisons, arithmetic, `$var`, len(), int(), str()).")]
    public object? Evaluate(RobotExecutionContext context, string expression, string? modules = null, object? @namespace = null) =>
        context.LocalVariables.EvaluateExpression(expression);

    [RobotKeyword("Returns a list of the items.")]
    public List<object?> CreateList(params object?[] items) => items.ToList();

    [RobotKeyword("Returns a dictionary from `key=value` arguments (or alternating keys and values).")]
    public Dictionary<string, object?> CreateDictionary(Dictionary<string, object?>? kwargs, params object?[] items)
    {
        var result = new Dictionary<string, object?>();
        if (items.Length % 2 != 0)
        {
            throw new RobotKeywordException("Expected an even number of positional items (key, value pairs).");
        }
        for (var i = 0; i < items.Length; i += 2)
        {
            result[RobotValues.ToText(items[i])] = items[i + 1];
        }
        if (kwargs != null)
        {
            foreach (var (k, v) in kwargs)
            {
                result[k] = v;
            }
        }
        return result;
    }

    [RobotKeyword("Pauses for the given host time (`1s`, `500ms`, `0.5`).")]
    public void Sleep(RobotExecutionContext context, string time_, string? reason = null)
    {
        var span = RobotTime.Parse(time_);
        if (context.Cancellation.WaitHandle.WaitOne(span))
        {
            context.Cancellation.ThrowIfCancellationRequested();
        }
    }

    [RobotKeyword("Adds tags to the current test.")]
    public void SetTags(RobotExecutionContext context, params string[] tags)
    {
        foreach (var tag in tags.Where(t => !context.TestTags.Any(x => RobotNames.Same(x, t))))
        {
            context.TestTags.Add(tag);
        }
    }

    [RobotKeyword("Removes tags (glob patterns) from the current test.")]
    public void RemoveTags(RobotExecutionContext context, params string[] tags) =>
        context.TestTags.RemoveAll(t => tags.Any(p => RobotNames.GlobMatches(p, t)));

    [RobotKeyword("Returns the string in lower case.")]
    public string ConvertToLowerCase(string @string) => @string.ToLowerInvariant();

    [RobotKeyword("Returns the string in upper case.")]
    public string ConvertToUpperCase(string @string) => @string.ToUpperInvariant();

    [RobotKeyword("Replaces search_for with replace_with (count=-1 replaces all).")]
    public string ReplaceString(string @string, string search_for, string replace_with, int count = -1)
    {
        if (count < 0 || search_for.Length == 0)
        {
            return search_for.Length == 0 ? @string : @string.Replace(search_for, replace_with, StringComparison.Ordinal);
        }
        var regex = new Regex(Regex.Escape(search_for));
        return regex.Replace(@string, replace_with.Replace("$", "$$"), count);
    }

    [RobotKeyword("Replaces regular expression matches.")]
    public string ReplaceStringUsingRegexp(string @string, string pattern, string replace_with, int count = -1) =>
        new Regex(pattern).Replace(@string, replace_with, count);

    [RobotKeyword("Splits the string (on whitespace when no separator is given).")]
    public List<object?> SplitString(string @string, string? separator = null, int max_split = -1)
    {
        var parts = separator == null
            ? @string.Split((char[]?)null, max_split < 0 ? int.MaxValue : max_split + 1, StringSplitOptions.RemoveEmptyEntries)
            : @string.Split(separator, max_split < 0 ? int.MaxValue : max_split + 1);
        return parts.Select(p => (object?)p).ToList();
    }

    [RobotKeyword("Splits the string into lines.")]
    public List<object?> SplitToLines(string @string, int start = 0, int? end = null)
    {
        var lines = @string.Replace("\r\n", "\n").Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        var stop = end ?? lines.Count;
        return lines.Skip(start).Take(Math.Max(0, stop - start)).Select(l => (object?)l).ToList();
    }

    [RobotKeyword("Returns the lines that contain the pattern, joined with newlines.")]
    public string GetLinesContainingString(string @string, string pattern, bool case_insensitive = false) =>
        string.Join("\n", SplitToLines(@string).Cast<string>().Where(l => l.Contains(pattern, case_insensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)));

    [RobotKeyword("Returns the lines that match the regular expression (whole line unless partial_match), joined with newlines.")]
    public string GetLinesMatchingRegexp(string @string, string pattern, bool partial_match = false)
    {
        var regex = new Regex(partial_match ? pattern : "^(?:" + pattern + ")$");
        return string.Join("\n", SplitToLines(@string).Cast<string>().Where(l => regex.IsMatch(l)));
    }

    [RobotKeyword("Returns every match of the pattern (or the given groups of each match).")]
    public List<object?> GetRegexpMatches(string @string, string pattern, params string[] groups)
    {
        var result = new List<object?>();
        foreach (Match m in Regex.Matches(@string, pattern))
        {
            if (groups.Length == 0)
            {
                result.Add(m.Value);
            }
            else if (groups.Length == 1)
            {
                result.Add(GroupValue(m, groups[0]));
            }
            else
            {
                result.Add(groups.Select(g => (object?)GroupValue(m, g)).ToList());
            }
        }
        return result;
    }

    [RobotKeyword("Strips whitespace (or the given characters) from the string.")]
    public string StripString(string @string, string mode = "both", string? characters = null)
    {
        var chars = characters?.ToCharArray();
        return mode.ToLowerInvariant() switch
        {
            "left" => @string.TrimStart(chars),
            "right" => @string.TrimEnd(chars),
            "none" => @string,
            _ => @string.Trim(chars),
        };
    }

    [RobotKeyword("Returns the part of the string before the marker.")]
    public string FetchFromLeft(string @string, string marker)
    {
        var index = @string.IndexOf(marker, StringComparison.Ordinal);
        return index < 0 ? @string : @string.Substring(0, index);
    }

    [RobotKeyword("Returns the part of the string after the last marker.")]
    public string FetchFromRight(string @string, string marker)
    {
        var index = @string.LastIndexOf(marker, StringComparison.Ordinal);
        return index < 0 ? @string : @string.Substring(index + marker.Length);
    }

    [RobotKeyword("Returns the item at the index (negative counts from the end).")]
    public object? GetFromList(object? list_, long index) => RobotExpression.Index(RobotValues.ToList(list_), index);

    [RobotKeyword("Appends values to the list (in place).")]
    public void AppendToList(object? list_, params object?[] values)
    {
        if (list_ is not List<object?> list)
        {
            throw new RobotKeywordException("Append To List needs a list variable.");
        }
        list.AddRange(values);
    }

    [RobotKeyword("Returns the value of the key.")]
    public object? GetFromDictionary(object? dictionary, object? key)
    {
        try
        {
            return RobotExpression.Index(dictionary, key);
        }
        catch (KeyNotFoundException e)
        {
            throw new RobotKeywordException(e.Message);
        }
    }

    [RobotKeyword("Fails unless the list contains the value.")]
    public void ListShouldContainValue(object? list_, object? value, string? msg = null)
    {
        if (!RobotValues.ToList(list_).Any(x => RobotValues.ValueEquals(x, value)))
        {
            throw new RobotKeywordException(msg ?? $"{RobotValues.Repr(list_)} does not contain value '{RobotValues.ToText(value)}'.");
        }
    }

    [RobotKeyword("Fails unless the file exists.")]
    public void FileShouldExist(string path, string? msg = null)
    {
        if (!File.Exists(path))
        {
            throw new RobotKeywordException(msg ?? $"File '{path}' does not exist.");
        }
    }

    [RobotKeyword("Returns the file's contents.")]
    public string GetFile(string path, string encoding = "UTF-8", string encoding_errors = "strict")
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RobotKeywordException($"Could not read file '{path}': {e.Message}");
        }
    }

    [RobotKeyword("Writes content to a file.")]
    public void CreateFile(string path, string content = "", string encoding = "UTF-8")
    {
        try
        {
            File.WriteAllText(path, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RobotKeywordException($"Could not write file '{path}': {e.Message}");
        }
    }

    [RobotKeyword("Creates a directory (and its parents).")]
    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    [RobotKeyword("Joins path parts.")]
    public string JoinPath(string @base, params string[] parts) => Path.Combine(new[] { @base }.Concat(parts).ToArray());

    private static object? RunCells(RobotExecutionContext context, IReadOnlyList<string> cells)
    {
        var name = cells[0];
        return context.RunKeyword(name, cells.Skip(1).ToArray());
    }

    private static object? Condition(RobotExecutionContext context, object? condition) =>
        condition is string text ? context.LocalVariables.EvaluateExpression(text.Replace("\\", "\\\\")) : condition;

    private static string VariableName(string name)
    {
        var t = name.Trim();
        if (t.StartsWith('\\'))
        {
            t = t.Substring(1);
        }
        return RobotVariables.BareName(t);
    }

    private static object? VariableValue(RobotExecutionContext context, string name, object?[] values)
    {
        if (values.Length == 0)
        {
            return context.LocalVariables.TryGet(VariableName(name), out var current)
                ? current : throw new RobotKeywordException($"Variable '{name}' not found.");
        }
        if (name.TrimStart('\\').StartsWith('@') || values.Length > 1)
        {
            return values.ToList();
        }
        return values[0];
    }

    private static void Fail(string? msg, bool values, string detail)
    {
        if (msg == null)
        {
            throw new RobotKeywordException(detail);
        }
        throw new RobotKeywordException(values ? $"{msg}: {detail}" : msg);
    }

    private static string Format(object? value, string formatter) =>
        formatter.ToLowerInvariant() == "repr" ? RobotValues.Repr(value) : RobotValues.ToText(value);

    private static string Describe(object? value) => value is string s ? $"'{s}'" : RobotValues.Repr(value);

    private static string Prepare(string text, bool ignoreCase, bool strip, bool collapse)
    {
        if (strip)
        {
            text = text.Trim();
        }
        if (collapse)
        {
            text = Regex.Replace(text, @"\s+", " ");
        }
        return ignoreCase ? text.ToLowerInvariant() : text;
    }

    private static bool Contains(object? container, object? item, bool ignoreCase, bool strip, bool collapse)
    {
        if (container is string s)
        {
            return Prepare(s, ignoreCase, strip, collapse).Contains(Prepare(RobotValues.ToText(item), ignoreCase, strip, collapse), StringComparison.Ordinal);
        }
        if (container is System.Collections.IDictionary dict)
        {
            return item != null && dict.Contains(item);
        }
        return RobotValues.ToList(container).Any(x => ignoreCase && x is string a && item is string b
            ? string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
            : RobotValues.ValueEquals(x, item));
    }

    private static bool ErrorMatches(string expected, string actual)
    {
        if (expected.StartsWith("EQUALS:", StringComparison.Ordinal))
        {
            return actual == expected.Substring(7).TrimStart();
        }
        if (expected.StartsWith("STARTS:", StringComparison.Ordinal))
        {
            return actual.StartsWith(expected.Substring(7).TrimStart(), StringComparison.Ordinal);
        }
        if (expected.StartsWith("REGEXP:", StringComparison.Ordinal))
        {
            return Regex.IsMatch(actual, "^(?:" + expected.Substring(7).TrimStart() + ")$", RegexOptions.Singleline);
        }
        if (expected.StartsWith("GLOB:", StringComparison.Ordinal))
        {
            expected = expected.Substring(5).TrimStart();
        }
        return RobotNames.GlobMatches(expected, actual, normalize: false);
    }

    private static RegexOptions ParseFlags(string? flags)
    {
        var options = RegexOptions.None;
        foreach (var flag in (flags ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options |= flag.ToUpperInvariant() switch
            {
                "IGNORECASE" or "I" => RegexOptions.IgnoreCase,
                "MULTILINE" or "M" => RegexOptions.Multiline,
                "DOTALL" or "S" => RegexOptions.Singleline,
                _ => throw new RobotKeywordException($"Unknown regular expression flag '{flag}'."),
            };
        }
        return options;
    }

    private static string GroupValue(Match match, string group) =>
        int.TryParse(group, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? match.Groups[n].Value : match.Groups[group].Value;
}
