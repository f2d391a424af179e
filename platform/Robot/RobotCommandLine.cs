using System.Globalization;
using Emulator.Core;

namespace Emulator.Robot;

/// <summary>
/// `emu test ...`: renode-test's options over our runner. Prints one line per test (PASS/FAIL/SKIP and
/// time), failure messages with the last UART lines, writes a JUnit XML file to the results directory, and
/// ends with `N passed, N failed` (`, N skipped`). Exit code 0 when all passed, 1 on failures, 2 on usage errors.
/// </summary>
public static class RobotCommandLine
{
    public const string Usage = """
        usage: emu test [options] [suite.robot | directory ...]
          -t, --tests FILE        tests.yaml listing suites (`- suite.robot`, `- group: [a.robot, b.robot]`)
          -j, --jobs N            run N suites (or groups) in parallel, each in its own emulation
          --include TAG           run only tests with a matching tag (glob; repeatable)
          --exclude TAG           do not run tests with a matching tag (repeatable)
          --skip TAG              report tests with a matching tag as skipped (default: skipped)
          -f, --fixture PATTERN   run only tests whose name matches (glob, e.g. "*boot*")
          --variable NAME:VALUE   set a variable (overrides the suite's own)
          -r, --results-dir DIR   where junit.xml goes (default: output/tests)
          --seeds N               run every suite under N interleaving seeds (1..N)
          --seed N                run under one seed (to replay a failure)
          --trace DIR             write each test's timeline (Chrome Trace Event JSON) into DIR
          -h, --help              show this help
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return RunCore(args, stdout, stderr);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"emu test: {e.Message}");
            stderr.WriteLine(Usage);
            return 2;
        }
        catch (EmulationException e)
        {
            stderr.WriteLine($"emu test: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"emu test: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in the runner: still a message and an exit code, never a stack trace at the user.
            stderr.WriteLine($"emu test: internal error: {e.GetType().Name}: {e.Message}");
            return 2;
        }
    }

    private static int RunCore(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var options = new RobotRunOptions();
        var groups = new List<List<string>>();
        var jobs = 1;
        var seeds = new List<int?> { null };
        var skipTagsGiven = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Length)
                {
                    throw new UsageException($"option {arg} needs a value");
                }
                return args[++i];
            }
            switch (arg)
            {
                case "-h":
                case "--help":
                    stdout.WriteLine(Usage);
                    return 0;
                case "-t":
                case "--tests":
                    groups.AddRange(RobotTestsYaml.Load(Value()));
                    break;
                case "-j":
                case "--jobs":
                    jobs = PositiveInt(arg, Value());
                    break;
                case "--include":
                    options.IncludeTags.Add(Value());
                    break;
                case "--exclude":
                    options.ExcludeTags.Add(Value());
                    break;
                case "--skip":
                    if (!skipTagsGiven)
                    {
                        options.SkipTags.Clear();
                        skipTagsGiven = true;
                    }
                    options.SkipTags.Add(Value());
                    break;
                case "-f":
                case "--fixture":
                    options.TestNamePatterns.Add(Value());
                    break;
                case "--variable":
                {
                    var v = Value();
                    var colon = v.IndexOf(':');
                    if (colon <= 0)
                    {
                        throw new UsageException($"--variable needs NAME:VALUE, got '{v}'");
                    }
                    options.Variables[v.Substring(0, colon)] = v.Substring(colon + 1);
                    break;
                }
                case "-r":
                case "--results-dir":
                    options.ResultsDirectory = Value();
                    break;
                case "--trace":
                    options.TraceDirectory = Value();
                    break;
                case "--seeds":
                {
                    var n = PositiveInt(arg, Value());
                    seeds = Enumerable.Range(1, n).Select(x => (int?)x).ToList();
                    break;
                }
                case "--seed":
                    if (!int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
                    {
                        throw new UsageException($"--seed needs an integer, got '{args[i]}'");
                    }
                    seeds = new List<int?> { seed };
                    break;
                default:
                    if (arg.StartsWith('-') && arg.Length > 1)
                    {
                        throw new UsageException($"unknown option {arg}");
                    }
                    groups.AddRange(ExpandPath(arg));
                    break;
            }
        }
        if (groups.Count == 0)
        {
            throw new UsageException("no suites given (pass .robot files, a directory, or -t tests.yaml)");
        }
        foreach (var missing in groups.SelectMany(g => g).Where(p => !File.Exists(p)))
        {
            throw new UsageException($"suite '{missing}' does not exist");
        }

        var units = groups.SelectMany(g => seeds.Select(s => (Group: g, Seed: s))).ToList();
        var results = new List<RobotSuiteResult>?[units.Count];
        var output = new object();
        options.Console = new SynchronizedConsole(stdout, output);
        Parallel.For(0, units.Count, new ParallelOptions { MaxDegreeOfParallelism = jobs }, index =>
        {
            var (group, seed) = units[index];
            var list = new List<RobotSuiteResult>();
            foreach (var suitePath in group)
            {
                var suiteOptions = CopyOptions(options, seed, test => Print(stdout, output, test));
                var result = RunSuiteSafely(suitePath, suiteOptions);
                list.Add(result);
                if (result.Error != null)
                {
                    lock (output)
                    {
                        stdout.WriteLine($"ERROR {result.Name}{SeedSuffix(seed)}: {Indent(result.Error)}");
                    }
                }
            }
            results[index] = list;
        });

        var all = results.SelectMany(r => r ?? new List<RobotSuiteResult>()).ToList();
        var passed = all.Sum(s => s.Tests.Count(t => t.Status == RobotTestStatus.Pass));
        var failed = all.Sum(s => s.Tests.Count(t => t.Status == RobotTestStatus.Fail) + (s.Error != null && s.Tests.Count == 0 ? 1 : 0));
        var skipped = all.Sum(s => s.Tests.Count(t => t.Status == RobotTestStatus.Skip));
        var junit = Path.Combine(options.ResultsDirectory, "junit.xml");
        try
        {
            RobotJUnitWriter.Write(junit, all);
            stdout.WriteLine($"JUnit report: {junit}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"emu test: cannot write {junit}: {e.Message}");
        }
        var failedSeeds = all.Where(s => s.Seed.HasValue && (s.Error != null || s.Tests.Any(t => t.Status == RobotTestStatus.Fail)))
            .Select(s => s.Seed!.Value).Distinct().OrderBy(x => x).ToList();
        if (failedSeeds.Count > 0)
        {
            stdout.WriteLine($"Failing seeds: {string.Join(", ", failedSeeds)} (replay one with --seed N)");
        }
        stdout.WriteLine($"{passed} passed, {failed} failed" + (skipped > 0 ? $", {skipped} skipped" : ""));
        return failed > 0 ? 1 : 0;
    }

    private static RobotSuiteResult RunSuiteSafely(string path, RobotRunOptions options)
    {
        try
        {
            return RobotSuiteRunner.Run(path, options);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The runner reports failures as results; anything escaping is a bug, still shown as a failed suite.
            return new RobotSuiteResult(RobotNames.SuiteNameFromPath(path), path) { Error = $"internal error: {e.GetType().Name}: {e.Message}", Seed = options.Seed };
        }
    }

    private static RobotRunOptions CopyOptions(RobotRunOptions source, int? seed, Action<RobotTestResult> finished)
    {
        var copy = new RobotRunOptions
        {
            Seed = seed,
            ResultsDirectory = source.ResultsDirectory,
            RenodeKeywordsPath = source.RenodeKeywordsPath,
            CommandRunnerFactory = source.CommandRunnerFactory,
            Console = source.Console,
            ReplayDirectory = source.ReplayDirectory ?? source.ResultsDirectory,
            TraceDirectory = source.TraceDirectory,
            TestFinished = finished,
        };
        foreach (var (k, v) in source.Variables)
        {
            copy.Variables[k] = v;
        }
        copy.IncludeTags.AddRange(source.IncludeTags);
        copy.ExcludeTags.AddRange(source.ExcludeTags);
        copy.SkipTags.Clear();
        copy.SkipTags.AddRange(source.SkipTags);
        copy.TestNamePatterns.AddRange(source.TestNamePatterns);
        return copy;
    }

    private static void Print(TextWriter stdout, object output, RobotTestResult test)
    {
        var status = test.Status switch
        {
            RobotTestStatus.Pass => "PASS",
            RobotTestStatus.Fail => "FAIL",
            _ => "SKIP",
        };
        var time = test.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        var text = new System.Text.StringBuilder();
        text.AppendLine($"{status}  {test.FullName}{SeedSuffix(test.Seed)}  ({time} s)");
        if (test.Status != RobotTestStatus.Pass && test.Message.Length > 0)
        {
            text.AppendLine("      " + Indent(test.Message));
        }
        if (test.Status == RobotTestStatus.Fail)
        {
            if (test.UartTail.Count > 0)
            {
                text.AppendLine("      Last UART lines:");
                foreach (var line in test.UartTail)
                {
                    text.AppendLine("      | " + line);
                }
            }
            if (test.Seed.HasValue)
            {
                text.AppendLine($"      Replay with: --seed {test.Seed}");
            }
            if (test.ReplayFile != null)
            {
                text.AppendLine($"      Replay byte for byte: emu replay {test.ReplayFile}");
            }
        }
        if (test.TraceSummary != null)
        {
            text.AppendLine("      " + test.TraceSummary);
        }
        lock (output)
        {
            stdout.Write(text.ToString());
            stdout.Flush();
        }
    }

    private static string SeedSuffix(int? seed) => seed.HasValue ? $" [seed {seed}]" : "";

    private static string Indent(string text) => text.Replace("\n", "\n      ");

    private static int PositiveInt(string option, string text)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            throw new UsageException($"{option} needs a positive integer, got '{text}'");
        }
        return n;
    }

    /// <summary>A .robot file is one suite; a directory gives every .robot file under it that has test cases.</summary>
    private static IEnumerable<List<string>> ExpandPath(string path)
    {
        if (Directory.Exists(path))
        {
            foreach (var file in Directory.EnumerateFiles(path, "*.robot", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
            {
                if (File.ReadAllText(file).Contains("*** Test Case", StringComparison.OrdinalIgnoreCase))
                {
                    yield return new List<string> { file };
                }
            }
            yield break;
        }
        if (path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var group in RobotTestsYaml.Load(path))
            {
                yield return group;
            }
            yield break;
        }
        yield return new List<string> { path };
    }

    /// <summary>`Log To Console` from parallel suites must not interleave with result lines.</summary>
    private sealed class SynchronizedConsole : TextWriter
    {
        private readonly TextWriter inner;
        private readonly object sync;

        public SynchronizedConsole(TextWriter inner, object sync)
        {
            this.inner = inner;
            this.sync = sync;
        }

        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            lock (sync)
            {
                inner.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (sync)
            {
                inner.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (sync)
            {
                inner.WriteLine(value);
            }
        }
    }

    private sealed class UsageException : Exception
    {
        public UsageException(string message)
            : base(message)
        {
        }
    }
}
