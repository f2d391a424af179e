using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Emulator.Robot;

/// <summary>
/// `Run Process` of Robot Framework's Process library, so a suite can drive an external client (e.g.
/// gdb-multiarch in batch mode) while the emulation runs on its own thread. Real Robot provides the same
/// keyword, so suites that use it also run under renode-test. Supported configuration: `timeout`
/// (a Robot time string; the process is then terminated with SIGTERM, `on_timeout=kill` uses SIGKILL; rc is
/// minus the signal, as Python reports it), `cwd`, `shell`, `stdin` (text; by default the child gets an
/// empty, closed stdin), `stdout`/`stderr` (file paths, `stderr=STDOUT` merges), `env:NAME=value`,
/// `alias` and `output_encoding` (accepted). A test timeout or an aborted run kills the process too, so a
/// hung client can never hang the runner.
/// </summary>
public sealed class RobotProcessKeywords
{
    /// <summary>How long a terminated process gets to exit before it is killed.</summary>
    public static TimeSpan TerminateGrace { get; set; } = TimeSpan.FromSeconds(5);

    [RobotKeyword("Runs a process and waits for it; returns its rc, stdout and stderr (`${r.rc}`, `${r.stdout}`). " +
        "Configuration: timeout=, on_timeout=terminate|kill, cwd=, shell=, stdin=, stdout=, stderr= (STDOUT merges), env:NAME=.")]
    public Dictionary<string, object?> RunProcess(RobotExecutionContext context, string command, Dictionary<string, object?> configuration, params string[] arguments)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in configuration)
        {
            var text = RobotValues.ToText(value);
            if (key.StartsWith("env:", StringComparison.Ordinal))
            {
                environment[key.Substring(4)] = text;
                continue;
            }
            var name = key.ToLowerInvariant();
            if (name is not ("timeout" or "on_timeout" or "cwd" or "shell" or "stdin" or "stdout" or "stderr" or "alias" or "output_encoding"))
            {
                throw new RobotKeywordException($"Run Process: unsupported configuration '{key}'.");
            }
            config[name] = text;
        }
        TimeSpan? timeout = null;
        if (config.TryGetValue("timeout", out var timeoutText) && !IsNone(timeoutText))
        {
            timeout = RobotTime.Parse(timeoutText);
        }
        var kill = false;
        if (config.TryGetValue("on_timeout", out var onTimeout))
        {
            kill = onTimeout.Trim().ToLowerInvariant() switch
            {
                "terminate" => false,
                "kill" => true,
                _ => throw new RobotKeywordException($"Run Process: on_timeout={onTimeout} is not supported (terminate or kill)."),
            };
        }
        var shell = config.TryGetValue("shell", out var shellText) && !IsNone(shellText) && RobotValues.ToBool(shellText);
        var mergeStderr = config.TryGetValue("stderr", out var stderrTarget) && stderrTarget.Trim().ToUpperInvariant() == "STDOUT";

        var start = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // stderr=STDOUT merges in the kernel (one pipe, as Python's subprocess does), so the order of
        // the child's writes survives; merging two pipes here would interleave them by arrival.
        if (shell)
        {
            var script = string.Join(" ", new[] { command }.Concat(arguments));
            start.FileName = "/bin/sh";
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(mergeStderr ? "{ " + script + "\n} 2>&1" : script);
        }
        else if (mergeStderr)
        {
            start.FileName = "/bin/sh";
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("exec \"$0\" \"$@\" 2>&1");
            start.ArgumentList.Add(command);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = command;
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
        }
        if (config.TryGetValue("cwd", out var cwd) && !IsNone(cwd))
        {
            start.WorkingDirectory = cwd;
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        context.Messages.Add("INFO: Starting process: " + string.Join(" ", new[] { command }.Concat(arguments).Select(Quote)));
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new RobotKeywordException($"Run Process: cannot start '{command}'.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RobotKeywordException($"Run Process: cannot start '{command}': {e.Message}");
        }
        using (process)
        {
            // Output is gathered as it comes (in arrival order when stderr goes to stdout), so a chatty
            // child never blocks on a full pipe.
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            var outputDone = new CountdownEvent(2);
            process.OutputDataReceived += (_, e) => Append(stdout, e.Data, outputDone);
            process.ErrorDataReceived += (_, e) => Append(mergeStderr ? stdout : stderr, e.Data, outputDone);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                if (config.TryGetValue("stdin", out var input) && !IsNone(input) && input.ToUpperInvariant() != "PIPE")
                {
                    process.StandardInput.Write(input);
                }
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The child exited (or closed its stdin) before reading it.
            }

            int? signal = null;
            var deadline = timeout.HasValue ? Stopwatch.StartNew() : null;
            try
            {
                while (!process.WaitForExit(50))
                {
                    context.Cancellation.ThrowIfCancellationRequested();
                    if (deadline != null && deadline.Elapsed >= timeout!.Value)
                    {
                        context.Messages.Add($"INFO: Process did not complete in {timeout.Value.TotalSeconds:0.###} seconds; {(kill ? "killing" : "terminating")} it.");
                        signal = Stop(process, kill);
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                Stop(process, kill: true);
                throw;
            }
            process.WaitForExit();
            outputDone.Wait(TimeSpan.FromSeconds(5));
            var rc = signal.HasValue ? -signal.Value : process.ExitCode;
            var result = new Dictionary<string, object?>
            {
                ["rc"] = (long)rc,
                ["stdout"] = StripNewline(Text(stdout)),
                ["stderr"] = mergeStderr ? "" : StripNewline(Text(stderr)),
            };
            result["stdout_path"] = WriteTarget(config, "stdout", (string)result["stdout"]!);
            result["stderr_path"] = mergeStderr ? result["stdout_path"] : WriteTarget(config, "stderr", (string)result["stderr"]!);
            context.Messages.Add($"INFO: Process completed with rc {rc}.");
            return result;
        }
    }

    private static void Append(StringBuilder builder, string? line, CountdownEvent done)
    {
        lock (builder)
        {
            if (line == null)
            {
                done.Signal();
                return;
            }
            builder.Append(line).Append('\n');
        }
    }

    private static string Text(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }

    /// <summary>Ends the process (SIGTERM, then SIGKILL after a grace period); returns the signal that ended it.</summary>
    private static int Stop(Process process, bool kill)
    {
        const int SigTerm = 15;
        const int SigKill = 9;
        if (!kill && !OperatingSystem.IsWindows())
        {
            if (SendSignal(process.Id, SigTerm) == 0 && process.WaitForExit((int)TerminateGrace.TotalMilliseconds))
            {
                return SigTerm;
            }
        }
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        return SigKill;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static string? WriteTarget(Dictionary<string, string> config, string name, string text)
    {
        if (!config.TryGetValue(name, out var path) || IsNone(path) || path.Trim().ToUpperInvariant() is "PIPE" or "STDOUT" or "DEVNULL")
        {
            return null;
        }
        File.WriteAllText(path, text);
        return Path.GetFullPath(path);
    }

    private static bool IsNone(string text) => text.Trim().Length == 0 || text.Trim().ToUpperInvariant() == "NONE";

    // Robot strips one trailing newline from the captured output.
    private static string StripNewline(string text) => text.EndsWith('\n') ? text.Substring(0, text.Length - 1) : text;

    private static string Quote(string text) => text.Length > 0 && !text.Any(char.IsWhiteSpace) ? text : "'" + text + "'";
}
