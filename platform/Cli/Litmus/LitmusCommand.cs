using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Emulator.Core;
using Emulator.MemoryModels;
using Emulator.Scheduling;

namespace Emulator.Cli.Litmus;

/// <summary>
/// `emu litmus [--runs N] [--memory-model rvwmo|sc] [--schedule S] [--seed FIRST] [--summary] FILE.litmus|@LIST...`:
/// runs each test N times (seeds FIRST, FIRST+1, ...) and prints litmus7's log for it. A malformed test gets a
/// `file:line:col` error and the others still run. Exit code 1 when a test failed to parse or build, or when a
/// test marked `Expected=Forbidden` showed its outcome (the first such seed is named for replay).
/// </summary>
public static class LitmusCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var runs = 1000;
        var firstSeed = 1;
        var model = MemoryModelKind.Rvwmo;
        SchedulePolicy? schedule = null;
        var summary = false;
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs":
                    runs = ParsePositive(Next(args, ref i), "--runs");
                    break;
                case "--seed":
                    firstSeed = ParsePositive(Next(args, ref i), "--seed");
                    break;
                case "--memory-model":
                    model = MemoryModelNames.Parse(Next(args, ref i));
                    break;
                case "--schedule":
                    schedule = SchedulePolicy.Parse(Next(args, ref i));
                    break;
                case "--summary":
                    summary = true;
                    break;
                default:
                    if (args[i].StartsWith('-'))
                    {
                        throw new EmulationException($"unknown option {args[i]}");
                    }
                    files.AddRange(Expand(args[i]));
                    break;
            }
        }
        if (files.Count == 0)
        {
            throw new EmulationException("litmus needs tests: emu litmus [--runs N] [--memory-model rvwmo|sc] FILE.litmus|@LIST...");
        }
        var runner = new LitmusRunner { MemoryModel = model, Schedule = schedule ?? SchedulePolicy.Parse("random:4") };
        var failed = false;
        var rows = new List<string>();
        foreach (var file in files)
        {
            LitmusOutcome outcome;
            try
            {
                var test = LitmusParser.ParseFile(file);
                var elf = LitmusProgram.Build(test);
                outcome = runner.Run(test, elf, runs, firstSeed);
            }
            catch (LitmusException e)
            {
                stderr.WriteLine(e.Message);
                failed = true;
                continue;
            }
            catch (IOException e)
            {
                stderr.WriteLine($"{file}: {e.Message}");
                failed = true;
                continue;
            }
            Print(outcome, stdout);
            var t = outcome.Test;
            if (outcome.Unfinished > 0)
            {
                stderr.WriteLine($"{file}: {outcome.Unfinished} of {runs} runs did not finish within the instruction limit");
            }
            var verdict = "-";
            if (t.Expected == "Forbidden")
            {
                verdict = outcome.Observed ? "FORBIDDEN OUTCOME SEEN" : "ok";
                if (outcome.Observed)
                {
                    failed = true;
                    stderr.WriteLine($"{file}: {t.Name}: a forbidden outcome appeared at seed {outcome.FirstPositiveSeed}; replay: emu litmus --runs 1 --seed {outcome.FirstPositiveSeed} --memory-model {MemoryModelNames.Name(model)} --schedule {runner.Schedule} {file}");
                }
            }
            else if (t.Expected == "Allowed")
            {
                verdict = outcome.Observed ? "ok" : "not seen";
            }
            rows.Add($"| {t.Name} | {t.Expected ?? "-"} | {(outcome.Observed ? "yes" : "no")} ({outcome.Positive}) | {runs} | {verdict} |");
        }
        if (summary)
        {
            stdout.WriteLine($"| test | expected | observed (runs showing it) | runs | verdict |");
            stdout.WriteLine("|---|---|---|---|---|");
            foreach (var row in rows)
            {
                stdout.WriteLine(row);
            }
        }
        return failed ? 1 : 0;
    }

    /// <summary>litmus7's log of one test.</summary>
    public static void Print(LitmusOutcome outcome, TextWriter o)
    {
        var t = outcome.Test;
        var kind = t.Quantifier switch { "exists" => "Allowed", "~exists" => "Forbidden", _ => "Required" };
        o.WriteLine($"Test {t.Name} {kind}");
        o.WriteLine($"Histogram ({outcome.Histogram.Count} states)");
        foreach (var (state, (count, satisfies)) in outcome.Histogram)
        {
            o.WriteLine($"{count,-6}{(satisfies ? "*>" : ":>")}{state}");
        }
        o.WriteLine(outcome.Validated ? "Ok" : "No");
        o.WriteLine();
        o.WriteLine("Witnesses");
        o.WriteLine($"Positive: {outcome.Positive}, Negative: {outcome.Negative}");
        o.WriteLine($"Condition {t.Quantifier} ({t.Condition}) is {(outcome.Validated ? "validated" : "not validated")}");
        o.WriteLine($"Hash={Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(t.Source))).ToLowerInvariant()}");
        var observation = outcome.Positive == 0 ? "Never" : outcome.Negative == 0 ? "Always" : "Sometimes";
        o.WriteLine($"Observation {t.Name} {observation} {outcome.Positive} {outcome.Negative}");
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Time {t.Name} {outcome.Seconds:0.00}"));
        o.WriteLine();
    }

    /// <summary>A test file, or `@LIST`: a file of test paths (relative to the list), `#` comments and blank lines ignored.</summary>
    private static IEnumerable<string> Expand(string arg)
    {
        if (!arg.StartsWith('@'))
        {
            return new[] { arg };
        }
        var list = arg[1..];
        if (!File.Exists(list))
        {
            throw new EmulationException($"{list}: no such list file");
        }
        var dir = Path.GetDirectoryName(Path.GetFullPath(list))!;
        return File.ReadAllLines(list)
            .Select(l => l.Trim())
            .Where(l => l.Length != 0 && !l.StartsWith('#'))
            .SelectMany(l => l.StartsWith('@') ? Expand("@" + Path.Combine(dir, l[1..])) : new[] { Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(dir, l)) });
    }

    private static string Next(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new EmulationException($"{args[i]} needs a value");
        }
        return args[++i];
    }

    private static int ParsePositive(string text, string option)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v <= 0)
        {
            throw new EmulationException($"{option} takes a positive integer, got '{text}'");
        }
        return v;
    }
}
