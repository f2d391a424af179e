using Emulator.Core;

namespace Emulator.Robot;

/// <summary>
/// Runs steps: keyword calls, FOR/WHILE/IF, RETURN/BREAK/CONTINUE, user keywords with their own variable
/// scope. It holds the variable scopes (global → suite → test → keyword-local), the keyword registry, and
/// the test's cancellation (test timeout). Failures are <see cref="RobotKeywordException"/>s carrying the
/// location of the innermost step that failed.
/// </summary>
public sealed class RobotExecutionContext
{
    private const int MaxKeywordDepth = 100;
    private int depth;
    private int continueOnFailureDepth;
    private int templateDepth;

    public RobotExecutionContext(RobotKeywordRegistry keywords, RobotVariables globalVariables)
    {
        Keywords = keywords;
        GlobalVariables = globalVariables;
        SuiteVariables = globalVariables.CreateChild();
        LocalVariables = SuiteVariables;
    }

    public RobotKeywordRegistry Keywords { get; }

    public RobotVariables GlobalVariables { get; }

    public RobotVariables SuiteVariables { get; private set; }

    public RobotVariables? TestVariables { get; private set; }

    /// <summary>The innermost scope: a user keyword's locals, else the test's, else the suite's.</summary>
    public RobotVariables LocalVariables { get; private set; }

    /// <summary>Cancelled when the test timeout expires; waits and loops check it.</summary>
    public CancellationToken Cancellation { get; set; }

    /// <summary>Renode's keyword library of this run (null for BuiltIn-only contexts).</summary>
    public RenodeKeywords? Renode { get; set; }

    /// <summary>Where `Log To Console` writes.</summary>
    public TextWriter? Console { get; set; }

    /// <summary>Messages logged by the current test (`Log`, keyword output), kept for reports.</summary>
    public List<string> Messages { get; } = new();

    /// <summary>Tags of the running test, changeable by `Set Tags`/`Remove Tags`.</summary>
    public List<string> TestTags { get; } = new();

    /// <summary>The test's status while its teardown runs (`Run Keyword If Test Failed`): PASS, FAIL or null outside a teardown.</summary>
    public string? TestStatus { get; set; }

    /// <summary>Text of the location of the step being run (for messages of run-keyword variants).</summary>
    public RobotSourceLocation CurrentLocation { get; private set; }

    public void StartSuite()
    {
        SuiteVariables = GlobalVariables.CreateChild();
        LocalVariables = SuiteVariables;
        TestVariables = null;
    }

    public void StartTest()
    {
        TestVariables = SuiteVariables.CreateChild();
        LocalVariables = TestVariables;
        Messages.Clear();
        TestTags.Clear();
        TestStatus = null;
    }

    public void EndTest()
    {
        TestVariables = null;
        LocalVariables = SuiteVariables;
    }

    /// <summary>`Set Test Variable`: visible in the rest of the test, including keywords it calls.</summary>
    public void SetTestVariable(string name, object? value)
    {
        if (TestVariables == null)
        {
            throw new RobotKeywordException("Cannot set test variable when no test is started.");
        }
        TestVariables.Set(name, value);
        SetInInnerScopes(name, value, TestVariables);
    }

    public void SetSuiteVariable(string name, object? value)
    {
        SuiteVariables.Set(name, value);
        SetInInnerScopes(name, value, SuiteVariables);
    }

    public void SetGlobalVariable(string name, object? value)
    {
        GlobalVariables.Set(name, value);
        SetInInnerScopes(name, value, GlobalVariables);
    }

    private void SetInInnerScopes(string name, object? value, RobotVariables outer)
    {
        // A same-named variable in an inner scope would hide the new value; Robot updates it too.
        for (var scope = LocalVariables; scope != null && scope != outer; scope = scope.Parent)
        {
            if (scope.Contains(name))
            {
                scope.Set(name, value);
            }
        }
        if (TestVariables != null && outer != TestVariables && TestVariables.Contains(name))
        {
            TestVariables.Set(name, value);
        }
    }

    /// <summary>The [Template] keyword of the running test: its rows are this keyword's arguments.</summary>
    public string? Template { get; set; }

    /// <summary>Runs a templated test's body: every row runs (failures are combined), FOR loops included.</summary>
    public void ExecuteTemplateBody(IReadOnlyList<RobotStep> steps, string template)
    {
        var saved = Template;
        Template = template;
        templateDepth++;
        try
        {
            ExecuteBody(steps);
        }
        finally
        {
            templateDepth--;
            Template = saved;
        }
    }

    /// <summary>Runs steps; with <paramref name="continueOnFailure"/> (teardowns, templates) every step runs and failures are combined.</summary>
    public void ExecuteBody(IReadOnlyList<RobotStep> steps, bool continueOnFailure = false)
    {
        if (continueOnFailure)
        {
            continueOnFailureDepth++;
        }
        try
        {
            var failures = new List<RobotKeywordException>();
            foreach (var step in steps)
            {
                try
                {
                    ExecuteStep(step);
                }
                catch (RobotKeywordException e) when ((continueOnFailureDepth > 0 || templateDepth > 0) && e.Status == RobotTestStatus.Fail && !Cancellation.IsCancellationRequested)
                {
                    failures.Add(e);
                }
            }
            ThrowCombined(failures);
        }
        finally
        {
            if (continueOnFailure)
            {
                continueOnFailureDepth--;
            }
        }
    }

    /// <summary>Throws nothing, the only failure, or Robot's "Several failures occurred" message.</summary>
    public static void ThrowCombined(List<RobotKeywordException> failures)
    {
        if (failures.Count == 1)
        {
            throw failures[0];
        }
        if (failures.Count > 1)
        {
            var text = "Several failures occurred:\n\n" + string.Join("\n\n", failures.Select((f, i) => $"{i + 1}) {FormatFailure(f)}"));
            throw new RobotKeywordException(text) { Location = null, HasLocationInMessage = true };
        }
    }

    /// <summary>`file:line: message`, the form failures are reported in.</summary>
    public static string FormatFailure(RobotKeywordException e) =>
        e.Location == null || e.HasLocationInMessage ? e.Message : $"{e.Location}: {e.Message}";

    public void ExecuteStep(RobotStep step)
    {
        CurrentLocation = step.Location;
        try
        {
            if (Cancellation.IsCancellationRequested)
            {
                throw new OperationCanceledException();
            }
            switch (step)
            {
                case RobotKeywordStep call:
                    ExecuteCall(call);
                    break;
                case RobotForStep loop:
                    ExecuteFor(loop);
                    break;
                case RobotWhileStep loop:
                    ExecuteWhile(loop);
                    break;
                case RobotIfStep branch:
                    ExecuteIf(branch);
                    break;
                case RobotReturnStep ret:
                    throw new ReturnSignal(ret.Values.Count == 0 ? null : ret.Values.Count == 1 ? LocalVariables.Resolve(ret.Values[0]) : LocalVariables.ResolveList(ret.Values));
                case RobotLoopControlStep control:
                    throw new LoopSignal(control.IsBreak);
            }
        }
        catch (RobotKeywordException e)
        {
            e.Location ??= step.Location;
            throw;
        }
        catch (OperationCanceledException)
        {
            throw new RobotKeywordException(TimeoutMessage ?? "Execution was cancelled.") { Location = step.Location, IsTimeout = true };
        }
        catch (Exception e) when (e is not FlowSignal)
        {
            // A bug below us must not take the whole run down: report it as this step's failure.
            throw new RobotKeywordException($"{e.GetType().Name}: {e.Message}", e) { Location = step.Location };
        }
    }

    /// <summary>Message used when <see cref="Cancellation"/> fires (the test timeout text).</summary>
    public string? TimeoutMessage { get; set; }

    private void ExecuteCall(RobotKeywordStep call)
    {
        if (Template != null && templateDepth > 0)
        {
            // In a templated test the whole row is the template's arguments.
            RunKeyword(Template, call.Cells);
            return;
        }
        var result = RunKeyword(call.Name, call.Arguments);
        if (call.Assign.Count > 0)
        {
            Assign(call.Assign, result);
        }
    }

    /// <summary>Assigns a keyword's return value to `${x}`, `@{list}`, `&amp;{dict}` or several `${a}  ${b}`.</summary>
    public void Assign(IReadOnlyList<string> targets, object? value)
    {
        if (targets.Count == 1)
        {
            var target = targets[0];
            if (target.StartsWith('@'))
            {
                value = RobotValues.ToList(value);
            }
            else if (target.StartsWith('&') && value is not System.Collections.IDictionary)
            {
                throw new RobotKeywordException($"Cannot set variable '{target}': value is not a dictionary.");
            }
            LocalVariables.Set(target, value);
            return;
        }
        var items = RobotValues.ToList(value);
        var listTarget = targets.ToList().FindIndex(t => t.StartsWith('@'));
        if (listTarget < 0 && items.Count != targets.Count)
        {
            throw new RobotKeywordException($"Cannot set variables: expected {targets.Count} return values, got {items.Count}.");
        }
        var index = 0;
        for (var t = 0; t < targets.Count; t++)
        {
            if (t == listTarget)
            {
                var take = items.Count - (targets.Count - 1);
                LocalVariables.Set(targets[t], items.Skip(index).Take(Math.Max(0, take)).ToList());
                index += Math.Max(0, take);
            }
            else
            {
                LocalVariables.Set(targets[t], index < items.Count ? items[index] : null);
                index++;
            }
        }
    }

    /// <summary>Runs a keyword by name with unresolved argument cells (the name may contain variables).</summary>
    public object? RunKeyword(string name, IReadOnlyList<string> cells)
    {
        var resolvedName = LocalVariables.ReplaceString(name);
        var keyword = Keywords.Find(resolvedName)
            ?? throw new RobotKeywordException($"No keyword with name '{resolvedName}' found.");
        var arguments = RobotCallArguments.FromCells(keyword, cells, LocalVariables);
        return Invoke(keyword, arguments);
    }

    /// <summary>Runs a keyword by name with values that are already resolved (replays, the Remote protocol).</summary>
    public object? RunKeywordWithValues(string name, IReadOnlyList<object?> values, IEnumerable<KeyValuePair<string, object?>>? named = null)
    {
        var keyword = Keywords.Find(name) ?? throw new RobotKeywordException($"No keyword with name '{name}' found.");
        return Invoke(keyword, RobotCallArguments.FromValues(keyword, values, named));
    }

    public object? Invoke(IRobotKeyword keyword, RobotCallArguments arguments)
    {
        if (++depth > MaxKeywordDepth)
        {
            depth--;
            throw new RobotKeywordException($"Maximum limit of started keywords exceeded ({MaxKeywordDepth}): is a keyword calling itself?");
        }
        try
        {
            var result = keyword.Invoke(this, arguments);
            if (keyword is RobotMethodKeyword { IsRecorded: true } && Renode != null)
            {
                Renode.Record(keyword.Name, arguments);
            }
            return result;
        }
        finally
        {
            depth--;
        }
    }

    /// <summary>Runs a user keyword in a fresh local scope that sees test, suite and global variables.</summary>
    public object? RunUserKeyword(RobotUserKeyword keyword, IReadOnlyList<string> embeddedValues, RobotCallArguments arguments)
    {
        var scope = (TestVariables ?? SuiteVariables).CreateChild();
        for (var i = 0; i < keyword.EmbeddedArguments.Count && i < embeddedValues.Count; i++)
        {
            scope.Set(keyword.EmbeddedArguments[i], LocalVariables.Resolve(embeddedValues[i]));
        }
        BindArguments(keyword, arguments, scope);
        var saved = LocalVariables;
        var savedTemplateDepth = templateDepth;
        // Template rows and their continue-on-failure apply to the test body only, not inside keywords.
        templateDepth = 0;
        LocalVariables = scope;
        RobotKeywordException? failure = null;
        object? result = null;
        try
        {
            try
            {
                ExecuteBody(keyword.Body);
                if (keyword.ReturnValues != null)
                {
                    result = keyword.ReturnValues.Count == 0 ? null : keyword.ReturnValues.Count == 1
                        ? scope.Resolve(keyword.ReturnValues[0]) : scope.ResolveList(keyword.ReturnValues);
                }
            }
            catch (ReturnSignal r)
            {
                result = r.Value;
            }
            catch (LoopSignal)
            {
                throw new RobotKeywordException("BREAK and CONTINUE are allowed only in a loop body.");
            }
            catch (RobotKeywordException e)
            {
                failure = e;
            }
            if (keyword.Teardown?.Step is { } teardown)
            {
                try
                {
                    continueOnFailureDepth++;
                    ExecuteStep(teardown);
                }
                catch (RobotKeywordException e) when (e.Status == RobotTestStatus.Fail)
                {
                    if (failure == null)
                    {
                        failure = new RobotKeywordException($"Keyword teardown failed:\n{FormatFailure(e)}") { HasLocationInMessage = true };
                    }
                }
                finally
                {
                    continueOnFailureDepth--;
                }
            }
            if (failure != null)
            {
                throw failure;
            }
            return result;
        }
        finally
        {
            LocalVariables = saved;
            templateDepth = savedTemplateDepth;
        }
    }

    private void BindArguments(RobotUserKeyword keyword, RobotCallArguments arguments, RobotVariables scope)
    {
        var scalars = keyword.Arguments.Where(a => a.Kind == RobotArgumentKind.Scalar).ToList();
        var varArgs = keyword.Arguments.FirstOrDefault(a => a.Kind == RobotArgumentKind.VarArgs);
        var kwArgs = keyword.Arguments.FirstOrDefault(a => a.Kind == RobotArgumentKind.KwArgs);
        var positional = arguments.Positional;
        if (positional.Count > scalars.Count && varArgs == null)
        {
            throw new RobotKeywordException($"Keyword '{keyword.Name}' expected {Arity(scalars)} arguments, got {positional.Count + arguments.Named.Count}.");
        }
        var assigned = new HashSet<string>();
        for (var i = 0; i < scalars.Count && i < positional.Count; i++)
        {
            scope.Set(scalars[i].Name, positional[i]);
            assigned.Add(scalars[i].Name);
        }
        if (varArgs != null)
        {
            scope.Set(varArgs.Name, positional.Skip(scalars.Count).ToList());
        }
        var extra = new Dictionary<string, object?>();
        foreach (var (name, value) in arguments.Named)
        {
            var spec = scalars.FirstOrDefault(a => a.Name == name) ?? scalars.FirstOrDefault(a => RobotNames.Same(a.Name, name));
            if (spec == null)
            {
                if (kwArgs == null)
                {
                    throw new RobotKeywordException($"Keyword '{keyword.Name}' got unexpected named argument '{name}'.");
                }
                extra[name] = value;
                continue;
            }
            if (!assigned.Add(spec.Name))
            {
                throw new RobotKeywordException($"Keyword '{keyword.Name}' got multiple values for argument '{spec.Name}'.");
            }
            scope.Set(spec.Name, value);
        }
        if (kwArgs != null)
        {
            scope.Set(kwArgs.Name, extra);
        }
        foreach (var spec in scalars)
        {
            if (assigned.Contains(spec.Name))
            {
                continue;
            }
            if (!spec.HasDefault)
            {
                throw new RobotKeywordException($"Keyword '{keyword.Name}' missing value for argument '{spec.Name}'.");
            }
            // Defaults are resolved in the keyword's scope, so they may refer to earlier arguments.
            scope.Set(spec.Name, scope.Resolve(spec.Default!));
        }
    }

    private static string Arity(List<RobotArgumentSpec> scalars)
    {
        var min = scalars.Count(s => !s.HasDefault);
        return min == scalars.Count ? min.ToString() : $"{min} to {scalars.Count}";
    }

    private void ExecuteFor(RobotForStep loop)
    {
        var iterations = ForIterations(loop);
        foreach (var values in iterations)
        {
            for (var i = 0; i < loop.LoopVariables.Count; i++)
            {
                LocalVariables.Set(loop.LoopVariables[i], values[i]);
            }
            try
            {
                ExecuteBody(loop.Body);
            }
            catch (LoopSignal signal)
            {
                if (signal.IsBreak)
                {
                    break;
                }
            }
        }
    }

    private List<object?[]> ForIterations(RobotForStep loop)
    {
        var names = loop.LoopVariables;
        var result = new List<object?[]>();
        switch (loop.Flavor)
        {
            case RobotForFlavor.InRange:
            {
                var numbers = loop.Values.Select(v => ToNumber(LocalVariables.Resolve(v), v)).ToList();
                if (numbers.Count is < 1 or > 3)
                {
                    throw new RobotKeywordException("FOR IN RANGE expects 1 to 3 values (start, end, step).");
                }
                var start = numbers.Count > 1 ? numbers[0] : 0;
                var end = numbers.Count > 1 ? numbers[1] : numbers[0];
                var stepSize = numbers.Count > 2 ? numbers[2] : 1;
                if (stepSize == 0)
                {
                    throw new RobotKeywordException("FOR IN RANGE step must not be zero.");
                }
                var integral = numbers.All(n => n == Math.Floor(n));
                for (var x = start; stepSize > 0 ? x < end : x > end; x += stepSize)
                {
                    result.Add(new object?[] { integral ? (object)(long)x : x });
                }
                break;
            }
            case RobotForFlavor.InEnumerate:
            {
                var items = LocalVariables.ResolveList(loop.Values);
                for (var i = 0; i < items.Count; i++)
                {
                    if (names.Count == 2)
                    {
                        result.Add(new object?[] { (long)i, items[i] });
                    }
                    else
                    {
                        var row = new object?[names.Count];
                        row[0] = (long)i;
                        var parts = RobotValues.ToList(items[i]);
                        for (var k = 1; k < names.Count; k++)
                        {
                            row[k] = k - 1 < parts.Count ? parts[k - 1] : null;
                        }
                        result.Add(row);
                    }
                }
                break;
            }
            case RobotForFlavor.InZip:
            {
                var lists = loop.Values.Select(v => RobotValues.ToList(LocalVariables.Resolve(v))).ToList();
                var count = lists.Count == 0 ? 0 : lists.Min(l => l.Count);
                for (var i = 0; i < count; i++)
                {
                    result.Add(lists.Select(l => l[i]).ToArray());
                }
                break;
            }
            default:
            {
                var items = LocalVariables.ResolveList(loop.Values);
                if (items.Count % names.Count != 0)
                {
                    throw new RobotKeywordException($"Number of FOR loop values should be multiple of its variables. Got {names.Count} variables but {items.Count} values.");
                }
                for (var i = 0; i < items.Count; i += names.Count)
                {
                    result.Add(items.Skip(i).Take(names.Count).ToArray());
                }
                break;
            }
        }
        return result;
    }

    private double ToNumber(object? value, string cell)
    {
        if (RobotValues.AsNumber(value) is double d)
        {
            return d;
        }
        var text = RobotValues.ToText(value);
        if (RobotValues.TryParseInteger(text, out var l))
        {
            return l;
        }
        if (RobotValues.TryParseDouble(text, out d))
        {
            return d;
        }
        // Robot evaluates range bounds as expressions: `${n} + 1`.
        return RobotValues.AsNumber(LocalVariables.EvaluateExpression(text))
            ?? throw new RobotKeywordException($"FOR IN RANGE value '{cell}' is not a number.");
    }

    private void ExecuteWhile(RobotWhileStep loop)
    {
        var limit = 10_000L;
        if (loop.Limit != null)
        {
            var text = LocalVariables.ReplaceString(loop.Limit);
            if (text.ToUpperInvariant() == "NONE")
            {
                limit = long.MaxValue;
            }
            else if (!RobotValues.TryParseInteger(text, out limit))
            {
                throw new RobotKeywordException($"Invalid WHILE loop limit '{text}'.");
            }
        }
        var count = 0L;
        while (RobotValues.IsTruthy(LocalVariables.EvaluateExpression(loop.Condition)))
        {
            if (++count > limit)
            {
                throw new RobotKeywordException($"WHILE loop was aborted because it did not finish within the limit of {limit} iterations.");
            }
            if (Cancellation.IsCancellationRequested)
            {
                throw new OperationCanceledException();
            }
            try
            {
                ExecuteBody(loop.Body);
            }
            catch (LoopSignal signal)
            {
                if (signal.IsBreak)
                {
                    break;
                }
            }
        }
    }

    private void ExecuteIf(RobotIfStep step)
    {
        foreach (var branch in step.Branches)
        {
            if (branch.Condition == null || RobotValues.IsTruthy(EvaluateCondition(branch)))
            {
                ExecuteBody(branch.Body);
                return;
            }
        }
    }

    private object? EvaluateCondition(RobotIfBranch branch)
    {
        try
        {
            return LocalVariables.EvaluateExpression(branch.Condition!);
        }
        catch (RobotKeywordException e)
        {
            e.Location ??= branch.Location;
            throw;
        }
    }

    /// <summary>`Return From Keyword`: leaves the enclosing user keyword with this value.</summary>
    public void ReturnFromKeyword(object? value) => throw new ReturnSignal(value);

    /// <summary>Raised by RETURN; caught by the user keyword being run.</summary>
    private sealed class ReturnSignal : FlowSignal
    {
        public ReturnSignal(object? value)
        {
            Value = value;
        }

        public object? Value { get; }
    }

    /// <summary>Raised by BREAK and CONTINUE; caught by the innermost loop.</summary>
    private sealed class LoopSignal : FlowSignal
    {
        public LoopSignal(bool isBreak)
        {
            IsBreak = isBreak;
        }

        public bool IsBreak { get; }
    }

    /// <summary>Control flow that unwinds like an exception but is not a failure.</summary>
    private abstract class FlowSignal : Exception
    {
    }
}
