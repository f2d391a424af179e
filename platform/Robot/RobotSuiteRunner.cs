using System.Diagnostics;
using Emulator.Terminals;

namespace Emulator.Robot;

/// <summary>
/// Runs one suite file in its own <see cref="Emulation"/>: variables, imports (with renode-keywords.robot
/// imported implicitly, as renode-test does), Renode's default fixtures for whatever the suite leaves
/// unset (Suite Setup `Setup`, Suite Teardown `Teardown`, Test Setup `Reset Emulation`, Test Teardown
/// `Test Teardown`), tag and name filters, setups/teardowns with Robot's failure rules, templates, timeouts.
/// </summary>
public static class RobotSuiteRunner
{
    /// <summary>The resource used when no renode-keywords.robot file is found: the same keywords, minus the Remote import.</summary>
    public const string BuiltInRenodeKeywords = """
        *** Keywords ***
        Setup
            Set Default Uart Timeout    8
            Reset Emulation

        Teardown
            Reset Emulation

        Test Setup
            No Operation

        Test Teardown
            Reset Emulation
        """;

    private static readonly HashSet<string> KnownLibraries = new(StringComparer.OrdinalIgnoreCase)
    {
        "BuiltIn", "String", "Collections", "OperatingSystem", "Process", "Remote", "Dialogs", "DateTime", "XML", "Telnet", "Screenshot",
    };

    public static RobotSuiteResult Run(string path, RobotRunOptions options)
    {
        RobotSuiteFile suite;
        try
        {
            suite = RobotParser.ParseFile(path);
        }
        catch (RobotSyntaxException e)
        {
            return new RobotSuiteResult(RobotNames.SuiteNameFromPath(path), path) { Error = e.Message, Seed = options.Seed };
        }
        return Run(suite, options);
    }

    public static RobotSuiteResult Run(RobotSuiteFile suite, RobotRunOptions options)
    {
        var result = new RobotSuiteResult(suite.Name, suite.Path) { Seed = options.Seed, StartTime = DateTime.Now };
        var clock = Stopwatch.StartNew();
        var selected = suite.TestCases.Where(t => IsSelected(suite, t, options)).ToList();
        if (options.Replay is { Arguments.Count: >= 2 } replay)
        {
            // A replayed test runs after the tests before it, whose state it may `Require`.
            var index = suite.TestCases.FindIndex(t => t.Name == replay.Arguments[1]);
            selected = index < 0 ? new List<RobotTestCase>() : suite.TestCases.Take(index + 1).ToList();
        }
        if (selected.Count == 0)
        {
            return result;
        }
        using var emulation = new Emulation();
        using var renode = new RenodeKeywords(emulation, options.CommandRunnerFactory) { Seed = options.Seed };
        if (options.Seed.HasValue)
        {
            emulation.SetSeed(options.Seed.Value);
        }
        var registry = new RobotKeywordRegistry();
        var global = RobotVariables.CreateGlobal();
        var context = new RobotExecutionContext(registry, global) { Renode = renode, Console = options.Console };
        string? suiteError = null;
        RobotFixture? suiteSetup = null, suiteTeardown = null, testSetup = null, testTeardown = null;
        try
        {
            SetGlobals(global, suite, options);
            registry.AddUserKeywords(suite.Keywords);
            var loaded = new HashSet<string>(StringComparer.Ordinal) { Path.GetFullPath(suite.Path) };
            DefineVariables(context, suite, options);
            foreach (var import in suite.Imports)
            {
                Import(context, registry, import, suite, options, loaded);
            }
            var renodeKeywords = (string)global.Resolve("${RENODEKEYWORDS}")!;
            if (!loaded.Contains(Path.GetFullPath(renodeKeywords)))
            {
                ImportResource(context, registry, renodeKeywords, new RobotSourceLocation(suite.Path, 0), options, loaded);
            }
            registry.AddLibrary(RobotMethodKeyword.FromLibrary(renode));
            registry.AddLibrary(RobotMethodKeyword.FromLibrary(new RobotBuiltInKeywords()));
            registry.AddLibrary(RobotMethodKeyword.FromLibrary(new RobotProcessKeywords()));
            var defaults = new RobotSourceLocation(suite.Path, 0);
            suiteSetup = suite.SuiteSetup ?? Default(defaults, "Setup");
            suiteTeardown = suite.SuiteTeardown ?? Default(defaults, "Teardown");
            testSetup = suite.TestSetup ?? Default(defaults, "Reset Emulation");
            testTeardown = suite.TestTeardown ?? Default(defaults, "Test Teardown");
        }
        catch (RobotKeywordException e)
        {
            suiteError = RobotExecutionContext.FormatFailure(e);
        }
        catch (RobotSyntaxException e)
        {
            suiteError = e.Message;
        }

        if (suiteError == null && suiteSetup?.Step != null)
        {
            try
            {
                context.ExecuteStep(suiteSetup.Step);
            }
            catch (RobotKeywordException e)
            {
                suiteError = "Parent suite setup failed:\n" + RobotExecutionContext.FormatFailure(e);
            }
        }
        else if (suiteError != null)
        {
            result.Error = suiteError;
        }

        string? previousStatus = null, previousName = null, previousMessage = null;
        foreach (var test in selected)
        {
            if (previousStatus != null)
            {
                global.Set("PREV TEST STATUS", previousStatus);
                global.Set("PREV TEST NAME", previousName);
                global.Set("PREV TEST MESSAGE", previousMessage);
            }
            var testResult = RunTest(context, suite, test, options, suiteError, testSetup, testTeardown, renode);
            result.Tests.Add(testResult);
            previousStatus = testResult.Status.ToString().ToUpperInvariant();
            previousName = test.Name;
            previousMessage = testResult.Message;
            options.TestFinished?.Invoke(testResult);
        }

        if (result.Error == null && suiteTeardown?.Step != null)
        {
            try
            {
                context.Cancellation = CancellationToken.None;
                context.ExecuteBody(new[] { suiteTeardown.Step }, continueOnFailure: true);
            }
            catch (RobotKeywordException e)
            {
                var message = RobotExecutionContext.FormatFailure(e);
                result.Error = "Suite teardown failed:\n" + message;
                foreach (var t in result.Tests.Where(t => t.Status != RobotTestStatus.Skip))
                {
                    t.Message = t.Status == RobotTestStatus.Pass
                        ? "Parent suite teardown failed:\n" + message
                        : t.Message + "\n\nAlso parent suite teardown failed:\n" + message;
                    t.Status = RobotTestStatus.Fail;
                }
            }
        }
        result.Duration = clock.Elapsed;
        return result;
    }

    /// <summary>Whether the include/exclude tags and `-f` name patterns let this test run.</summary>
    public static bool IsSelected(RobotSuiteFile suite, RobotTestCase test, RobotRunOptions options)
    {
        var tags = TagsOf(suite, test);
        if (options.IncludeTags.Count > 0 && !options.IncludeTags.Any(p => TagPatternMatches(p, tags)))
        {
            return false;
        }
        if (options.ExcludeTags.Any(p => TagPatternMatches(p, tags)))
        {
            return false;
        }
        if (options.TestNamePatterns.Count > 0 && !options.TestNamePatterns.Any(p =>
                RobotNames.GlobMatches(p, test.Name) || RobotNames.GlobMatches(p, $"{suite.Name}.{test.Name}")))
        {
            return false;
        }
        return true;
    }

    /// <summary>Robot's tag patterns: globs combined with `OR`, `AND` and `NOT` (`smpANDslow`, `guestNOTbench`).</summary>
    public static bool TagPatternMatches(string pattern, IReadOnlyCollection<string> tags)
    {
        bool Any(string glob) => tags.Any(t => RobotNames.GlobMatches(glob, t));
        return pattern.Split("OR").Any(alternative => alternative.Split("AND").All(conjunct =>
        {
            var parts = conjunct.Split("NOT");
            var positive = parts[0].Trim();
            return (positive.Length == 0 || Any(positive)) && parts.Skip(1).All(negative => !Any(negative.Trim()));
        }));
    }

    public static List<string> TagsOf(RobotSuiteFile suite, RobotTestCase test)
    {
        var tags = new List<string>(test.Tags ?? suite.DefaultTags);
        foreach (var tag in suite.ForceTags)
        {
            if (!tags.Any(t => RobotNames.Same(t, tag)))
            {
                tags.Add(tag);
            }
        }
        return tags;
    }

    private static RobotTestResult RunTest(RobotExecutionContext context, RobotSuiteFile suite, RobotTestCase test, RobotRunOptions options,
        string? suiteError, RobotFixture? suiteTestSetup, RobotFixture? suiteTestTeardown, RenodeKeywords renode)
    {
        var result = new RobotTestResult(suite.Name, test.Name, test.Location) { Seed = options.Seed };
        var clock = Stopwatch.StartNew();
        context.StartTest();
        context.TestTags.AddRange(TagsOf(suite, test));
        result.Tags = context.TestTags.ToList();
        if (suiteError != null)
        {
            result.Status = RobotTestStatus.Fail;
            result.Message = suiteError;
            context.EndTest();
            return result;
        }
        var skipTag = options.SkipTags.FirstOrDefault(p => TagPatternMatches(p, context.TestTags));
        if (skipTag != null)
        {
            result.Status = RobotTestStatus.Skip;
            result.Message = $"Test skipped using '{skipTag}' tag.";
            context.EndTest();
            return result;
        }
        var testVariables = context.TestVariables!;
        testVariables.Set("TEST NAME", test.Name);
        testVariables.Set("TEST DOCUMENTATION", test.Documentation);
        testVariables.Set("TEST TAGS", context.TestTags.Cast<object?>().ToList());

        using var timeout = new CancellationTokenSource();
        var timeoutText = test.Timeout ?? suite.TestTimeout;
        context.TimeoutMessage = null;
        if (timeoutText != null && timeoutText.ToUpperInvariant() != "NONE")
        {
            try
            {
                var span = RobotTime.Parse(context.LocalVariables.ReplaceString(timeoutText));
                if (span > TimeSpan.Zero)
                {
                    timeout.CancelAfter(span);
                    context.TimeoutMessage = $"Test timeout {timeoutText} exceeded.";
                }
            }
            catch (RobotKeywordException e)
            {
                result.Status = RobotTestStatus.Fail;
                result.Message = $"{test.Location}: {e.Message}";
            }
        }
        context.Cancellation = timeout.Token;

        var emulation = renode.Emulation;
        SessionRecorder? recorder = null;
        var replaying = options.Replay != null && options.Replay.Arguments.Count >= 2 && options.Replay.Arguments[1] == test.Name;
        void OnMachineCreated(Machine machine)
        {
            // The test's first machine is recorded (or replayed).
            if (recorder == null)
            {
                recorder = new SessionRecorder(machine);
                if (replaying)
                {
                    options.Replay!.ApplyTo(machine);
                }
            }
        }
        var recording = options.ReplayDirectory != null || replaying;
        if (recording)
        {
            emulation.MachineCreated += OnMachineCreated;
        }
        Machine? traced = null;
        var tracePath = options.TraceDirectory == null ? null : Path.Combine(options.TraceDirectory, ResultFileName(suite, test, options) + ".json");
        void OnMachineCreatedTrace(Machine machine)
        {
            // Like the recording, the timeline follows the test's first machine.
            if (traced == null)
            {
                traced = machine;
                machine.StartTrace(tracePath!);
            }
        }
        if (tracePath != null)
        {
            Directory.CreateDirectory(options.TraceDirectory!);
            emulation.MachineCreated += OnMachineCreatedTrace;
        }

        var setup = test.Setup ?? suiteTestSetup;
        if (result.Status == RobotTestStatus.Pass && setup?.Step != null)
        {
            try
            {
                context.ExecuteStep(setup.Step);
            }
            catch (RobotKeywordException e)
            {
                SetOutcome(result, e, "Setup failed:\n");
            }
        }
        if (result.Status == RobotTestStatus.Pass && result.Message.Length == 0)
        {
            try
            {
                var template = test.Template ?? suite.TestTemplate;
                if (!string.IsNullOrEmpty(template))
                {
                    context.ExecuteTemplateBody(test.Body, template);
                }
                else
                {
                    context.ExecuteBody(test.Body);
                }
            }
            catch (RobotKeywordException e)
            {
                SetOutcome(result, e, "");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // RETURN/BREAK outside a keyword or loop end up here.
                result.Status = RobotTestStatus.Fail;
                result.Message = $"{test.Location}: RETURN, BREAK and CONTINUE are allowed only inside keywords and loops.";
            }
        }
        if (result.Status == RobotTestStatus.Fail)
        {
            result.UartTail = renode.RecentUartLines().TakeLast(10).ToList();
        }

        var teardown = test.Teardown ?? suiteTestTeardown;
        context.Cancellation = CancellationToken.None;
        context.TestStatus = result.Status.ToString().ToUpperInvariant();
        testVariables.Set("TEST STATUS", context.TestStatus);
        testVariables.Set("TEST MESSAGE", result.Message);
        if (teardown?.Step != null)
        {
            try
            {
                context.ExecuteBody(new[] { teardown.Step }, continueOnFailure: true);
            }
            catch (RobotKeywordException e)
            {
                var message = RobotExecutionContext.FormatFailure(e);
                if (result.Status == RobotTestStatus.Fail)
                {
                    result.Message += "\n\nAlso teardown failed:\n" + message;
                }
                else
                {
                    result.Status = RobotTestStatus.Fail;
                    result.Message = "Teardown failed:\n" + message;
                }
            }
        }
        if (tracePath != null)
        {
            emulation.MachineCreated -= OnMachineCreatedTrace;
            FinishTrace(emulation, traced, result);
        }
        if (recording)
        {
            emulation.MachineCreated -= OnMachineCreated;
            FinishReplay(emulation, suite, test, options, result, recorder, replaying);
        }
        result.Tags = context.TestTags.ToList();
        result.Messages = context.Messages.ToList();
        result.Duration = clock.Elapsed;
        context.TestStatus = null;
        context.EndTest();
        return result;
    }

    /// <summary>Suite.Test[.seedN], with characters a file name cannot hold replaced: the stem of a test's replay and trace files.</summary>
    private static string ResultFileName(RobotSuiteFile suite, RobotTestCase test, RobotRunOptions options)
    {
        var name = new string($"{suite.Name}.{test.Name}".Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        return name + (options.Seed is { } seed ? $".seed{seed}" : "");
    }

    /// <summary>Stops the test's machine where it is and writes its timeline (`emu test --trace`).</summary>
    private static void FinishTrace(Emulation emulation, Machine? machine, RobotTestResult result)
    {
        if (machine?.Trace == null)
        {
            return;
        }
        if (emulation.Machines.Contains(machine))
        {
            emulation.Pause();
        }
        try
        {
            result.TraceSummary = machine.StopTrace();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            result.Message += $"\n(cannot write the trace file: {e.Message})";
        }
    }

    /// <summary>Stops the test's machine where it is, then writes a failed test's replay file (or hands a replay its output).</summary>
    private static void FinishReplay(Emulation emulation, RobotSuiteFile suite, RobotTestCase test, RobotRunOptions options,
        RobotTestResult result, SessionRecorder? recorder, bool replaying)
    {
        if (recorder == null)
        {
            return;
        }
        if (emulation.Machines.Contains(recorder.Machine))
        {
            emulation.Pause();
        }
        if (options.Replay != null)
        {
            if (replaying)
            {
                options.ReplayOutput?.Invoke(recorder.Output);
            }
            return;
        }
        if (result.Status != RobotTestStatus.Fail || options.ReplayDirectory == null)
        {
            return;
        }
        var replay = new ReplayRecording
        {
            Kind = "test",
            Arguments = new List<string> { suite.Path, test.Name },
            WorkingDirectory = Directory.GetCurrentDirectory(),
            TestStatus = "FAIL",
            TestMessage = result.Message,
        };
        replay.Arguments.AddRange(options.Variables.Select(v => $"{v.Key}:{v.Value}"));
        recorder.Finish(replay, new[] { Path.GetFullPath(suite.Path) }.Concat(emulation.ScriptFiles), endedByHost: !recorder.Machine.HasExited, exitCode: 1);
        var path = Path.Combine(options.ReplayDirectory, ResultFileName(suite, test, options) + ".replay");
        try
        {
            replay.Save(path);
            result.ReplayFile = path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            result.Message += $"\n(cannot write the replay file {path}: {e.Message})";
        }
    }

    private static void SetOutcome(RobotTestResult result, RobotKeywordException e, string prefix)
    {
        result.Status = e.Status;
        result.Message = e.Status == RobotTestStatus.Fail ? prefix + RobotExecutionContext.FormatFailure(e) : e.Message;
    }

    private static RobotFixture Default(RobotSourceLocation location, string keyword) =>
        new(location, RobotKeywordStep.Call(location, new[] { keyword }));

    private static void SetGlobals(RobotVariables global, RobotSuiteFile suite, RobotRunOptions options)
    {
        var suiteDirectory = Path.GetDirectoryName(Path.GetFullPath(suite.Path)) ?? ".";
        var renodeKeywords = options.RenodeKeywordsPath ?? FindRenodeKeywords(suiteDirectory);
        global.Set("RENODEKEYWORDS", renodeKeywords);
        global.Set("RENODETOOLS", Path.GetDirectoryName(renodeKeywords) ?? suiteDirectory);
        global.Set("SUITE NAME", suite.Name);
        global.Set("SUITE SOURCE", Path.GetFullPath(suite.Path));
        global.Set("SUITE DOCUMENTATION", suite.Documentation);
        global.Set("OUTPUT DIR", Path.GetFullPath(options.ResultsDirectory));
        global.Set("RESULTS_DIRECTORY", Path.GetFullPath(options.ResultsDirectory));
        global.Set("SEED", options.Seed.HasValue ? (long)options.Seed.Value : null);
        foreach (var (name, value) in options.Variables)
        {
            global.Set(name, value);
        }
    }

    /// <summary>renode-keywords.robot next to the suite, in a tests/robot folder above it, or the built-in copy.</summary>
    private static string FindRenodeKeywords(string suiteDirectory)
    {
        for (var dir = new DirectoryInfo(suiteDirectory); dir != null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "renode-keywords.robot"), Path.Combine(dir.FullName, "tests", "robot", "renode-keywords.robot") })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return BuiltInResourceName;
    }

    private const string BuiltInResourceName = "<built-in renode-keywords.robot>";

    private static void DefineVariables(RobotExecutionContext context, RobotSuiteFile file, RobotRunOptions options)
    {
        foreach (var definition in file.Variables)
        {
            var bare = RobotVariables.BareName(definition.Name);
            if (options.Variables.Keys.Any(k => RobotNames.Same(k, bare)) || context.SuiteVariables.Contains(bare))
            {
                // Command-line variables win, and the first definition of a name wins (as in Robot).
                continue;
            }
            try
            {
                var scope = context.SuiteVariables;
                object? value;
                switch (definition.Name[0])
                {
                    case '@':
                        value = scope.ResolveList(definition.Values);
                        break;
                    case '&':
                    {
                        var dict = new Dictionary<string, object?>();
                        foreach (var cell in definition.Values)
                        {
                            if (RobotVariables.IsWholeVariable(cell, '&'))
                            {
                                foreach (System.Collections.DictionaryEntry entry in (System.Collections.IDictionary)scope.ResolveReference(cell)!)
                                {
                                    dict[RobotValues.ToText(entry.Key)] = entry.Value;
                                }
                                continue;
                            }
                            var eq = cell.IndexOf('=');
                            if (eq <= 0)
                            {
                                throw new RobotKeywordException($"Invalid dictionary variable item '{cell}': items must use 'name=value' syntax.");
                            }
                            dict[scope.ReplaceString(cell.Substring(0, eq))] = scope.Resolve(cell.Substring(eq + 1));
                        }
                        value = dict;
                        break;
                    }
                    default:
                        if (definition.Values.Count == 1)
                        {
                            value = scope.Resolve(definition.Values[0]);
                        }
                        else
                        {
                            var parts = definition.Values.ToList();
                            var separator = " ";
                            if (parts.Count > 0 && parts[0].StartsWith("SEPARATOR=", StringComparison.Ordinal))
                            {
                                separator = parts[0].Substring(10);
                                parts.RemoveAt(0);
                            }
                            value = string.Join(separator, parts.Select(scope.ReplaceString));
                        }
                        break;
                }
                scope.Set(bare, value);
            }
            catch (RobotKeywordException e)
            {
                e.Location ??= definition.Location;
                throw;
            }
        }
    }

    private static void Import(RobotExecutionContext context, RobotKeywordRegistry registry, RobotImport import, RobotSuiteFile owner,
        RobotRunOptions options, HashSet<string> loaded)
    {
        string name;
        try
        {
            name = context.SuiteVariables.ReplaceString(import.Name);
        }
        catch (RobotKeywordException e)
        {
            e.Location ??= import.Location;
            throw;
        }
        switch (import.Kind)
        {
            case RobotImportKind.Resource:
            {
                var path = name == BuiltInResourceName || Path.IsPathRooted(name)
                    ? name
                    : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(owner.Path)) ?? ".", name);
                ImportResource(context, registry, path, import.Location, options, loaded);
                break;
            }
            case RobotImportKind.Library:
                // BuiltIn, String, Collections, ... are part of this runner; Remote is how real Robot reaches
                // these same keywords; other libraries (Python files) cannot run here and are ignored.
                if (!KnownLibraries.Contains(name))
                {
                    context.Messages.Add($"WARN: library '{name}' is not available in this runner; its keywords will not be found.");
                }
                break;
            case RobotImportKind.Variables:
                throw new RobotSyntaxException(import.Location, $"variable files ('{name}') are not supported by this runner");
        }
    }

    private static void ImportResource(RobotExecutionContext context, RobotKeywordRegistry registry, string path, RobotSourceLocation location,
        RobotRunOptions options, HashSet<string> loaded)
    {
        RobotSuiteFile resource;
        if (path == BuiltInResourceName)
        {
            if (!loaded.Add(path))
            {
                return;
            }
            resource = RobotParser.Parse(BuiltInRenodeKeywords, path);
        }
        else
        {
            var full = Path.GetFullPath(path);
            if (!loaded.Add(full))
            {
                return;
            }
            if (!File.Exists(full))
            {
                throw new RobotSyntaxException(location, $"resource file '{path}' does not exist");
            }
            resource = RobotParser.ParseFile(full);
        }
        registry.AddUserKeywords(resource.Keywords);
        DefineVariables(context, resource, options);
        foreach (var import in resource.Imports)
        {
            Import(context, registry, import, resource, options, loaded);
        }
    }
}
