using Emulator.Core;
using Emulator.Logging;
using Emulator.Peripherals.CPU;

namespace Emulator.Robot;

/// <summary>
/// Renode's Robot keywords (RenodeKeywords, UartKeywords, CpuKeywords) with Renode's names and argument
/// names, over one <see cref="Emulation"/>. Timeouts are virtual seconds; wait keywords start the emulation
/// if it is not running. `Provides`/`Requires` record and replay the keywords run since the last reset
/// (Renode's re-execution mode), since our emulation has no snapshots.
/// </summary>
public sealed class RenodeKeywords : IDisposable
{
    private readonly Dictionary<int, RobotTerminalTester> testers = new();
    private readonly List<(string Name, RobotCallArguments Arguments)> recorded = new();
    private readonly Dictionary<string, List<(string Name, RobotCallArguments Arguments)>> states = new(StringComparer.Ordinal);
    private readonly Func<Emulation, IRobotCommandRunner> commandRunnerFactory;
    private IRobotCommandRunner? commandRunner;
    private RobotLogTester? logTester;
    private int? defaultTesterId;
    private float globalTimeout = 8;
    private bool replaying;

    public RenodeKeywords(Emulation emulation, Func<Emulation, IRobotCommandRunner>? commandRunnerFactory = null)
    {
        Emulation = emulation;
        this.commandRunnerFactory = commandRunnerFactory ?? DefaultCommandRunnerFactory;
    }

    /// <summary>How keywords reach the monitor when no factory is given (the monitor adapter).</summary>
    public static Func<Emulation, IRobotCommandRunner> DefaultCommandRunnerFactory { get; set; } = e => new RobotMonitorCommandRunner(e);

    public Emulation Emulation { get; }

    /// <summary>Interleaving seed applied after every reset (`--seeds`), or null for the default schedule.</summary>
    public int? Seed { get; set; }

    /// <summary>Raised by `Stop Remote Server`.</summary>
    public event Action? StopRequested;

    private IRobotCommandRunner CommandRunner => commandRunner ??= commandRunnerFactory(Emulation);

    /// <summary>The last UART lines of every tester, for failure reports.</summary>
    public IReadOnlyList<string> RecentUartLines()
    {
        lock (testers)
        {
            var result = new List<string>();
            foreach (var (id, tester) in testers)
            {
                var prefix = testers.Count > 1 ? $"[{id}] " : "";
                result.AddRange(tester.RecentLines.Select(l => prefix + l));
            }
            return result;
        }
    }

    /// <summary>Remembers a keyword that changed the emulation, for `Provides`/`Requires`.</summary>
    public void Record(string name, RobotCallArguments arguments)
    {
        lock (recorded)
        {
            recorded.Add((name, arguments));
        }
    }

    public void Dispose()
    {
        ResetEmulation();
    }

    [RobotKeyword("Removes every machine, tester and recorded state (a fresh emulation).")]
    public void ResetEmulation()
    {
        Emulation.Clear();
        lock (testers)
        {
            foreach (var tester in testers.Values)
            {
                tester.Dispose();
            }
            testers.Clear();
            defaultTesterId = null;
        }
        logTester?.Dispose();
        logTester = null;
        if (!replaying)
        {
            lock (recorded)
            {
                recorded.Clear();
            }
        }
        // A fresh monitor too: its variables and current machine belong to the old emulation.
        (commandRunner as IDisposable)?.Dispose();
        commandRunner = null;
        if (Seed.HasValue)
        {
            Emulation.SetSeed(Seed.Value);
        }
    }

    [RobotKeyword("Starts every machine on the background thread.", Recorded = true)]
    public void StartEmulation()
    {
        Emulation.Start();
    }

    [RobotKeyword("Runs one monitor command and returns its output. More positional arguments are joined with spaces.", Recorded = true, JoinsExtraArguments = true)]
    public string ExecuteCommand(string command, string? machine = null)
    {
        if (machine != null)
        {
            Emulation.CurrentMachine = GetMachine(machine);
        }
        try
        {
            return CommandRunner.Execute(command);
        }
        catch (EmulationException e)
        {
            throw new RobotKeywordException($"Could not execute command '{command}': {e.Message}");
        }
    }

    [RobotKeyword("Runs a monitor script (.resc) and returns its output.", Recorded = true)]
    public string ExecuteScript(string path)
    {
        try
        {
            return CommandRunner.ExecuteScript(path);
        }
        catch (EmulationException e)
        {
            throw new RobotKeywordException($"Could not execute script: {e.Message}");
        }
    }

    [RobotKeyword("Saves the keywords run since the last reset under a state name, for `Requires`.")]
    public void Provides(string state, string type = "Serialization")
    {
        if (!RobotNames.Same(type, "Serialization") && !RobotNames.Same(type, "Reexecution"))
        {
            throw new RobotKeywordException($"Unknown provider type '{type}' (expected Serialization or Reexecution).");
        }
        lock (recorded)
        {
            states[state] = recorded.ToList();
        }
    }

    [RobotKeyword("Resets the emulation and replays the keywords that led to a state saved by `Provides`.")]
    public void Requires(RobotExecutionContext context, string state)
    {
        List<(string Name, RobotCallArguments Arguments)>? events;
        lock (recorded)
        {
            if (!states.TryGetValue(state, out events))
            {
                throw new RobotKeywordException($"Required state {state} not found.");
            }
        }
        ResetEmulation();
        replaying = true;
        try
        {
            foreach (var (name, arguments) in events)
            {
                var keyword = context.Keywords.Find(name) ?? throw new RobotKeywordException($"Cannot replay keyword '{name}'.");
                context.Invoke(keyword, arguments);
            }
        }
        finally
        {
            replaying = false;
        }
    }

    [RobotKeyword("Waits until the emulation stops by itself (e.g. the guest powers off), in virtual seconds.")]
    public void WaitForPause(RobotExecutionContext context, float timeout)
    {
        var machine = Emulation.Machines.FirstOrDefault();
        using var signal = new ManualResetEventSlim(false);
        var outcome = RobotVirtualWait.Until(Emulation, machine, timeout, () => !Emulation.IsStarted, signal, context.Cancellation);
        if (outcome != RobotWaitOutcome.Matched && outcome != RobotWaitOutcome.EmulationStopped)
        {
            throw new RobotKeywordException($"Emulation did not pause in expected time of {timeout} seconds.");
        }
    }

    [RobotKeyword("Sets the default timeout (virtual seconds) of terminal testers created later.", Recorded = true)]
    public void SetDefaultUartTimeout(float timeout)
    {
        globalTimeout = timeout;
    }

    [RobotKeyword("Selects the tester used when testerId is not given.", Recorded = true)]
    public void SetDefaultTester(int? id)
    {
        lock (testers)
        {
            if (id.HasValue && !testers.ContainsKey(id.Value))
            {
                throw new RobotKeywordException($"Terminal tester for given ID={id} was not found.");
            }
            defaultTesterId = id;
        }
    }

    [RobotKeyword("Attaches a tester to a UART (e.g. sysbus.uart0) and returns its id.", Recorded = true)]
    public int CreateTerminalTester(string uart, float? timeout = null, string? machine = null, string? endLineOption = null,
        bool? defaultPauseEmulation = null, bool? defaultWaitForEcho = null, bool? defaultMatchNextLine = null, bool binaryMode = false)
    {
        if (binaryMode)
        {
            throw new RobotKeywordException("binaryMode testers are not supported by this emulator.");
        }
        var machineObject = GetMachine(machine);
        if (!machineObject.TryGetByName(uart, out var peripheral) || peripheral is not IUART uartObject)
        {
            throw new RobotKeywordException($"Peripheral for machine {machineObject.Name} not found or of wrong type: {uart}");
        }
        lock (testers)
        {
            foreach (var (existingId, existing) in testers)
            {
                if (ReferenceEquals(existing.Uart, uartObject))
                {
                    return existingId;
                }
            }
            var tester = new RobotTerminalTester(uartObject, machineObject, timeout ?? globalTimeout)
            {
                DefaultPauseEmulation = defaultPauseEmulation ?? false,
                DefaultWaitForEcho = defaultWaitForEcho ?? true,
                DefaultMatchNextLine = defaultMatchNextLine ?? false,
            };
            var id = testers.Count + 1;
            testers[id] = tester;
            return id;
        }
    }

    [RobotKeyword("Waits for a line containing the text (or matching it with treatAsRegex=true); returns line, timestamp and groups.", Recorded = true)]
    public Dictionary<string, object?> WaitForLineOnUart(RobotExecutionContext context, string content, float? timeout = null, int? testerId = null,
        bool treatAsRegex = false, bool includeUnfinishedLine = false, bool? pauseEmulation = null, bool? matchNextLine = null)
    {
        var tester = GetTester(testerId);
        var seconds = timeout ?? tester.TimeoutSeconds;
        Emulation.Start();
        var (outcome, match) = tester.WaitFor(Emulation, content, seconds, treatAsRegex, includeUnfinishedLine,
            matchNextLine ?? tester.DefaultMatchNextLine, context.Cancellation);
        return Finish(tester, outcome, match, seconds, pauseEmulation, $"line {Quote(content, treatAsRegex)}");
    }

    [RobotKeyword("Waits for the prompt, which may be an unfinished line.", Recorded = true)]
    public Dictionary<string, object?> WaitForPromptOnUart(RobotExecutionContext context, string prompt, int? testerId = null, float? timeout = null,
        bool treatAsRegex = false, bool? pauseEmulation = null)
    {
        var tester = GetTester(testerId);
        var seconds = timeout ?? tester.TimeoutSeconds;
        Emulation.Start();
        var (outcome, match) = tester.WaitFor(Emulation, prompt, seconds, treatAsRegex, includeUnfinishedLine: true, matchNextLine: false, context.Cancellation);
        return Finish(tester, outcome, match, seconds, pauseEmulation, $"prompt {Quote(prompt, treatAsRegex)}");
    }

    [RobotKeyword("Waits for the next complete line and returns it.", Recorded = true)]
    public Dictionary<string, object?> WaitForNextLineOnUart(RobotExecutionContext context, float? timeout = null, int? testerId = null, bool? pauseEmulation = null)
    {
        var tester = GetTester(testerId);
        var seconds = timeout ?? tester.TimeoutSeconds;
        Emulation.Start();
        var (outcome, match) = tester.NextLine(Emulation, seconds, context.Cancellation);
        return Finish(tester, outcome, match, seconds, pauseEmulation, "next line");
    }

    [RobotKeyword("Fails if the text appears on the UART within the timeout (virtual seconds).", Recorded = true)]
    public void ShouldNotBeOnUart(RobotExecutionContext context, string content, float? timeout = null, int? testerId = null,
        bool treatAsRegex = false, bool includeUnfinishedLine = false)
    {
        var tester = GetTester(testerId);
        var seconds = timeout ?? tester.TimeoutSeconds;
        Emulation.Start();
        var (outcome, match) = tester.WaitFor(Emulation, content, seconds, treatAsRegex, includeUnfinishedLine, matchNextLine: false, context.Cancellation);
        if (outcome == RobotWaitOutcome.Matched && match != null)
        {
            // Renode's text, including its "UART#".
            throw new RobotKeywordException($"Terminal tester failed!\n\nUnexpected entry has been found on UART#:\n{match.Line}");
        }
    }

    [RobotKeyword("Types the text and a carriage return (Enter); by default waits for the guest to echo the text.", Recorded = true)]
    public Dictionary<string, object?> WriteLineToUart(RobotExecutionContext context, string content = "", int? testerId = null, bool? waitForEcho = null, bool? pauseEmulation = null)
    {
        var tester = GetTester(testerId);
        tester.Write(content + "\r");
        if ((waitForEcho ?? tester.DefaultWaitForEcho) && content.Length > 0)
        {
            Emulation.Start();
            var (outcome, match) = tester.WaitFor(Emulation, content, tester.TimeoutSeconds, false, includeUnfinishedLine: true, matchNextLine: false, context.Cancellation);
            Finish(tester, outcome, match, tester.TimeoutSeconds, pauseEmulation, $"echo of '{content}'");
        }
        return new RobotTerminalMatch("", 0, Array.Empty<string>()).ToRobotValue();
    }

    [RobotKeyword("Types the text without a line ending.", Recorded = true)]
    public Dictionary<string, object?> WriteToUart(string content, int? testerId = null)
    {
        GetTester(testerId).Write(content);
        return new RobotTerminalMatch("", 0, Array.Empty<string>()).ToRobotValue();
    }

    [RobotKeyword("Types one character.", Recorded = true)]
    public Dictionary<string, object?> WriteCharOnUart(char c, int? testerId = null) => WriteToUart(c.ToString(), testerId);

    [RobotKeyword("Sends one byte (a key code) to the UART.", Recorded = true)]
    public Dictionary<string, object?> SendKeyToUart(byte c, int? testerId = null) => WriteToUart(((char)c).ToString(), testerId);

    [RobotKeyword("Fails if the guest prints anything within the timeout (virtual seconds).", Recorded = true)]
    public void TestIfUartIsIdle(RobotExecutionContext context, float timeout, int? testerId = null, bool? pauseEmulation = null)
    {
        var tester = GetTester(testerId);
        var before = tester.Report.Length;
        Emulation.Start();
        using var signal = new ManualResetEventSlim(false);
        var outcome = RobotVirtualWait.Until(Emulation, tester.Machine, timeout, () => tester.Report.Length != before, signal, context.Cancellation);
        if (outcome == RobotWaitOutcome.Matched)
        {
            throw new RobotKeywordException($"Terminal tester failed: the UART was not idle: {tester.Report.Substring(before)}");
        }
        if (pauseEmulation ?? tester.DefaultPauseEmulation)
        {
            Emulation.Pause();
        }
    }

    [RobotKeyword("Makes every later wait on this tester fail as soon as a line contains the pattern (or matches it with treatAsRegex=true).", Recorded = true)]
    public void RegisterFailingUartString(string pattern, bool treatAsRegex = false, int? testerId = null) =>
        GetTester(testerId).RegisterFailingString(pattern, treatAsRegex);

    [RobotKeyword("Removes a failing string registered earlier.", Recorded = true)]
    public void UnregisterFailingUartString(string pattern, bool treatAsRegex = false, int? testerId = null) =>
        GetTester(testerId).UnregisterFailingString(pattern, treatAsRegex);

    [RobotKeyword("Returns everything the tester has received.")]
    public string GetTerminalTesterReport(int? testerId = null) => GetTester(testerId).Report;

    [RobotKeyword("Forgets what the tester has received so far (for the report only).")]
    public void ClearTerminalTesterReport(int? testerId = null) => GetTester(testerId).ClearReport();

    [RobotKeyword("Starts recording log entries of every machine.", Recorded = true)]
    public void CreateLogTester(float timeout, bool? defaultPauseEmulation = null, int maxLogEntries = 1_000_000)
    {
        logTester?.Dispose();
        logTester = new RobotLogTester(Emulation, timeout, maxLogEntries) { DefaultPauseEmulation = defaultPauseEmulation ?? false };
    }

    [RobotKeyword("Waits for a log entry (`source: message`) containing the pattern; returns it.", Recorded = true)]
    public string WaitForLogEntry(RobotExecutionContext context, string pattern, float? timeout = null, bool keep = false, bool treatAsRegex = false,
        bool? pauseEmulation = null, LogLevel? level = null)
    {
        var tester = GetLogTester();
        var seconds = timeout ?? tester.TimeoutSeconds;
        if (Emulation.Machines.Count > 0)
        {
            Emulation.Start();
        }
        var (outcome, text) = tester.WaitFor(pattern, seconds, keep, treatAsRegex, level, context.Cancellation);
        if (outcome != RobotWaitOutcome.Matched || text == null)
        {
            var last = tester.LastEntries(10);
            throw new RobotKeywordException($"Expected pattern \"{pattern}\" did not appear in the log ({RobotVirtualWait.Describe(outcome, seconds)})" +
                (last.Count > 0 ? $"\nLast {last.Count} buffered log messages are:\n " + string.Join("\n ", last) : ""));
        }
        if (pauseEmulation ?? tester.DefaultPauseEmulation)
        {
            Emulation.Pause();
        }
        return text;
    }

    [RobotKeyword("Fails if a log entry containing the pattern appears within the timeout (virtual seconds).", Recorded = true)]
    public void ShouldNotBeInLog(RobotExecutionContext context, string pattern, float? timeout = null, bool treatAsRegex = false, bool? pauseEmulation = null, LogLevel? level = null)
    {
        var tester = GetLogTester();
        var seconds = timeout ?? tester.TimeoutSeconds;
        if (Emulation.Machines.Count > 0 && seconds > 0)
        {
            Emulation.Start();
        }
        var (outcome, text) = tester.WaitFor(pattern, seconds, keep: true, treatAsRegex, level, context.Cancellation);
        if (outcome == RobotWaitOutcome.Matched)
        {
            throw new RobotKeywordException($"Unexpected line detected in the log: {text}");
        }
        if (pauseEmulation ?? tester.DefaultPauseEmulation)
        {
            Emulation.Pause();
        }
    }

    [RobotKeyword("Forgets the log entries recorded so far.")]
    public void ClearLogTesterHistory() => GetLogTester().ClearHistory();

    [RobotKeyword("Accepted for compatibility with Renode's resource file; logs are kept by the log tester.")]
    public void EnableLoggingToCache()
    {
    }

    [RobotKeyword("Accepted for compatibility with Renode's resource file.")]
    public void ClearCachedLog()
    {
    }

    [RobotKeyword("Writes the log entries the log tester holds to a file.")]
    public void SaveCachedLog(string path)
    {
        File.WriteAllLines(path, logTester?.LastEntries(int.MaxValue) ?? Array.Empty<string>());
    }

    [RobotKeyword("Fails unless the CPU's PC equals the value.", Name = "PC Should Be Equal")]
    public void PcShouldBeEqual(ulong value, string? machine = null, string? cpuName = null)
    {
        var actual = GetCpu(machine, cpuName).PC;
        if (actual != value)
        {
            throw new RobotKeywordException($"PC value assertion failed, actual: 0x{actual:x}, expected: 0x{value:x}");
        }
    }

    [RobotKeyword("Fails unless the CPU's general-purpose register (x0..x31) equals the value.")]
    public void RegisterShouldBeEqual(int register, ulong value, string? machine = null, string? cpuName = null)
    {
        if (register is < 0 or > 31)
        {
            throw new RobotKeywordException($"Register {register} does not exist (x0..x31).");
        }
        var actual = GetCpu(machine, cpuName).GetRegister(register);
        if (actual != value)
        {
            throw new RobotKeywordException($"Register {register} value assertion failed, actual: 0x{actual:x}, expected: 0x{value:x}");
        }
    }

    [RobotKeyword("Returns the path of a new empty temporary file.")]
    public string AllocateTemporaryFile() => Path.GetTempFileName();

    [RobotKeyword("Asks the Remote server that runs these keywords to stop.")]
    public void StopRemoteServer()
    {
        StopRequested?.Invoke();
    }

    private Dictionary<string, object?> Finish(RobotTerminalTester tester, RobotWaitOutcome outcome, RobotTerminalMatch? match, double seconds, bool? pauseEmulation, string what)
    {
        if (outcome != RobotWaitOutcome.Matched || match == null)
        {
            throw new RobotKeywordException($"Terminal tester failed: {what} not found on UART ({RobotVirtualWait.Describe(outcome, seconds)}).");
        }
        if (pauseEmulation ?? tester.DefaultPauseEmulation)
        {
            Emulation.Pause();
        }
        return match.ToRobotValue();
    }

    private static string Quote(string text, bool regex) => regex ? $"matching /{text}/" : $"containing '{text}'";

    private RobotTerminalTester GetTester(int? testerId)
    {
        lock (testers)
        {
            var id = testerId ?? defaultTesterId;
            if (id == null)
            {
                if (testers.Count == 0)
                {
                    throw new RobotKeywordException("There is no terminal tester: did you forget to call `Create Terminal Tester`?");
                }
                if (testers.Count > 1)
                {
                    throw new RobotKeywordException("There are more than one terminal tester available - please specify ID of the desired tester.");
                }
                return testers.Values.First();
            }
            if (!testers.TryGetValue(id.Value, out var tester))
            {
                throw new RobotKeywordException($"Terminal tester for given ID={id} was not found. Did you forget to call `Create Terminal Tester`?");
            }
            return tester;
        }
    }

    private RobotLogTester GetLogTester() =>
        logTester ?? throw new RobotKeywordException("Log tester is not available. Create it with the `Create Log Tester` keyword");

    private Machine GetMachine(string? name)
    {
        var machines = Emulation.Machines;
        if (name == null)
        {
            if (machines.Count == 0)
            {
                throw new RobotKeywordException("There is no machine in the emulation.");
            }
            if (machines.Count > 1)
            {
                throw new RobotKeywordException($"No machine name provided. Don't know which one to choose. Available machines: [{string.Join(", ", machines.Select(m => m.Name))}]");
            }
            return machines[0];
        }
        return machines.FirstOrDefault(m => m.Name == name)
            ?? throw new RobotKeywordException($"Machine with name {name} not found. Available machines: [{string.Join(", ", machines.Select(m => m.Name))}]");
    }

    private RiscV64 GetCpu(string? machine, string? cpuName)
    {
        var machineObject = GetMachine(machine);
        var harts = machineObject.Harts;
        if (harts.Count == 0)
        {
            throw new RobotKeywordException("This machine has no CPUs.");
        }
        if (string.IsNullOrEmpty(cpuName))
        {
            if (harts.Count == 1)
            {
                return harts[0];
            }
            throw new RobotKeywordException($"This machine has {harts.Count} CPUs and no CPU name was specified");
        }
        if (machineObject.TryGetByName(cpuName, out var peripheral) && peripheral is RiscV64 hart)
        {
            return hart;
        }
        throw new RobotKeywordException($"This machine has no CPU named: {cpuName}, available are: {string.Join(", ", harts.Select(machineObject.GetName))}");
    }
}
