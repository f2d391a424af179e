using System.Collections;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.RegularExpressions;
using Emulator.Core;
using Emulator.Gdb;
using Emulator.Logging;
using Emulator.Peripherals.CPU;
using Emulator.Terminals;

namespace Emulator.Monitor;

/// <summary>
/// Renode's monitor: runs `.resc` scripts and single commands against an <see cref="Emulation"/>.
/// <see cref="Execute"/> returns what the command printed; a failing command throws a
/// <see cref="MonitorException"/> with one line saying what was expected (in a script: `file:line: ...`,
/// and the script stops there). The monitor owns the terminals and GDB servers it creates.
/// </summary>
public sealed partial class Monitor : IDisposable
{
    private readonly Dictionary<string, MonitorToken> variables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MacroDefinition> macros = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServerSocketTerminal> terminals = new(StringComparer.Ordinal);
    private readonly Dictionary<Machine, GdbServer> gdbServers = new();
    private readonly List<IDisposable> backends = new();
    private readonly HashSet<Machine> hookedMachines = new();
    private readonly Dictionary<Machine, List<string>> platformResetStatements = new();
    private readonly HashSet<object> analyzedUarts = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<string> origins = new();
    private readonly MemberInvoker invoker;

    // True while this thread runs monitor code on behalf of a machine's own thread (a marshaled call, a reset
    // macro): nested calls must run right there, since posting to the machine would wait for ourselves.
    [ThreadStatic]
    private static bool onMachineThread;
    private readonly object executeLock = new();
    // The live line being run (ExecuteLive) and not yet recorded: recorded once, by the first call that
    // reaches a machine.
    private string? liveLine;
    // Per thread: a command marshaled onto the emulation thread prints into its caller's buffer.
    private readonly ThreadLocal<StringBuilder> outputs = new(() => new StringBuilder());

    private StringBuilder CurrentOutput
    {
        get => outputs.Value!;
        set => outputs.Value = value;
    }
    private StreamWriter? logFile;

    public Monitor(Emulation emulation)
    {
        Emulation = emulation;
        invoker = new MemberInvoker(Convert);
        foreach (var m in emulation.Machines)
        {
            HookMachine(m);
        }
    }

    public Emulation Emulation { get; }

    /// <summary>`(machine-0) `: the current machine's name, as Renode shows it.</summary>
    public string Prompt => $"({Emulation.CurrentMachine?.Name ?? "monitor"}) ";

    /// <summary>Set by `quit`; the host ends the session.</summary>
    public bool QuitRequested { get; private set; }

    /// <summary>Recorded from `emulation SetGlobalSerialExecution`; harts always run serially here.</summary>
    public bool SerialExecution { get; internal set; } = true;

    public IReadOnlyDictionary<string, ServerSocketTerminal> Terminals => terminals;

    /// <summary>Raised by `quit`.</summary>
    public event Action? Quit;

    /// <summary>Raised when the monitor creates a machine, so the host can attach log sinks.</summary>
    public event Action<Machine>? MachineAdded;

    /// <summary>
    /// Raised by `showAnalyzer`: the host shows the UART (a terminal, stdout). Without a handler the UART's
    /// lines go to the machine's log, as Renode does when it runs headless.
    /// </summary>
    public event Action<Machine, string, IUART>? AnalyzerRequested;

    /// <summary>Variables ($name) as text, for hosts and tests.</summary>
    public string? GetVariable(string name) => variables.TryGetValue(name, out var t) ? t.Text : null;

    public void SetVariable(string name, string value) => variables[name] = new MonitorToken(TokenKind.String, value);

    public GdbServer? GetGdbServer(Machine machine)
    {
        lock (gdbServers)
        {
            return gdbServers.GetValueOrDefault(machine);
        }
    }

    /// <summary>Runs one line (which may hold several `;`-separated commands) and returns what it printed.</summary>
    public string Execute(string line)
    {
        lock (executeLock)
        {
            var previous = CurrentOutput;
            CurrentOutput = new StringBuilder();
            try
            {
                ExecuteLogicalLine(line);
                return CurrentOutput.ToString().TrimEnd('\n');
            }
            catch (MonitorException)
            {
                throw;
            }
            catch (EmulationException e)
            {
                throw new MonitorException(e.Message, e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or FormatException or OverflowException or InvalidOperationException)
            {
                throw new MonitorException(e.Message, e);
            }
            catch (Exception e)
            {
                // A bug behind a command must not end the session: it is that command's failure.
                throw new MonitorException($"internal error ({e.GetType().Name}): {e.Message}", e);
            }
            finally
            {
                CurrentOutput = previous;
            }
        }
    }

    /// <summary>
    /// Runs a line that arrives at a moment the host chose (typed at the console's monitor or the monitor socket,
    /// sent by a remote Robot). Unlike a script's lines, which a replay runs again, such a command is recorded in
    /// the host input of the machine it changes, at the slice boundary where it takes effect, so a recorded
    /// session replays it at the same virtual time.
    /// </summary>
    public string ExecuteLive(string line)
    {
        lock (executeLock)
        {
            liveLine = line;
            try
            {
                return Execute(line);
            }
            finally
            {
                liveLine = null;
            }
        }
    }

    /// <summary>Runs a `.resc` file; $ORIGIN is its folder while it runs. Errors name file:line and stop the script.</summary>
    public string ExecuteScript(string path)
    {
        var quoted = path.Replace("\\", "\\\\").Replace("\"", "\\\"");
        return Execute($"include @\"{quoted}\"");
    }

    public void Dispose()
    {
        foreach (var t in terminals.Values)
        {
            t.Dispose();
        }
        terminals.Clear();
        lock (gdbServers)
        {
            foreach (var g in gdbServers.Values)
            {
                g.Dispose();
            }
            gdbServers.Clear();
        }
        foreach (var b in backends)
        {
            b.Dispose();
        }
        backends.Clear();
        logFile?.Dispose();
        logFile = null;
    }

    internal void AddTerminal(string name, ServerSocketTerminal terminal)
    {
        if (terminals.ContainsKey(name))
        {
            terminal.Dispose();
            throw new MonitorException($"a terminal named '{name}' already exists");
        }
        terminals[name] = terminal;
    }

    internal ServerSocketTerminal GetTerminal(string name) =>
        terminals.TryGetValue(name, out var t) ? t
            : throw new MonitorException($"no terminal named '{name}'; create it with `emulation CreateServerSocketTerminal PORT \"{name}\"`");

    internal void AddBackend(IDisposable backend) => backends.Add(backend);

    internal void StartGdbServer(Machine machine, int port, bool autostartEmulation)
    {
        lock (gdbServers)
        {
            if (gdbServers.TryGetValue(machine, out var existing))
            {
                throw new MonitorException($"{machine.Name} already has a GDB server on port {existing.Port}");
            }
            var server = new GdbServer(Emulation, machine, port) { ResumeOnDetach = true, MonitorCommandHandler = Execute };
            gdbServers[machine] = server;
            WriteLine($"GDB server for {machine.Name} listening on 127.0.0.1:{server.Port}");
        }
        if (autostartEmulation)
        {
            Emulation.Start();
        }
    }

    internal void StopGdbServer(Machine machine)
    {
        lock (gdbServers)
        {
            if (!gdbServers.Remove(machine, out var server))
            {
                throw new MonitorException($"{machine.Name} has no GDB server");
            }
            server.Dispose();
        }
    }

    internal void ClearEmulation()
    {
        Emulation.Clear();
        lock (gdbServers)
        {
            foreach (var g in gdbServers.Values)
            {
                g.Dispose();
            }
            gdbServers.Clear();
        }
        hookedMachines.Clear();
    }

    internal void WriteLine(string text) => CurrentOutput.Append(text).Append('\n');

    internal Machine CurrentMachine =>
        Emulation.CurrentMachine ?? throw new MonitorException("no machine; create one with `mach create`");

    /// <summary>Resolves `@path`: absolute as is; otherwise the running script's folder first, then the current directory.</summary>
    internal string ResolvePath(string path)
    {
        path = VariableInPath().Replace(path, m => variables.TryGetValue(m.Groups[1].Value, out var v) ? v.Text
            : throw new MonitorException($"variable ${m.Groups[1].Value} is not set"));
        if (path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Substring(2));
        }
        if (Path.IsPathRooted(path))
        {
            return Path.GetFullPath(path);
        }
        var origin = origins.Count > 0 ? origins.Peek() : null;
        if (origin != null)
        {
            var candidate = Path.GetFullPath(Path.Combine(origin, path));
            if (File.Exists(candidate) || Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        var fromCwd = Path.GetFullPath(path);
        if (File.Exists(fromCwd) || origin == null)
        {
            return fromCwd;
        }
        return Path.GetFullPath(Path.Combine(origin, path));
    }

    [GeneratedRegex(@"^\s*macro\s+\S+\s*$")]
    private static partial Regex MacroHeader();

    [GeneratedRegex(@"\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex VariableInPath();

    private void HookMachine(Machine machine)
    {
        if (hookedMachines.Add(machine))
        {
            machine.ResetRequested += () => RunResetMacro(machine);
            if (logFile != null)
            {
                var writer = logFile;
                machine.Log.EntryLogged += e => WriteLogLine(writer, e);
            }
        }
    }

    /// <summary>Runs a platform load's `init:` statements now and keeps its `reset:` statements for machine resets.</summary>
    internal void RunPlatformStatements(Machine machine, PlatformDescription.PlatformLoadResult result)
    {
        HookMachine(machine);
        foreach (var init in result.InitCommands)
        {
            try
            {
                ExecuteLogicalLine(init.Command);
            }
            catch (EmulationException e)
            {
                throw new MonitorException($"init of {init.ObjectName} ({init.Position.File.DisplayName}:{init.Position.Line}): {e.Message}", e);
            }
        }
        if (result.ResetCommands.Count > 0)
        {
            if (!platformResetStatements.TryGetValue(machine, out var list))
            {
                platformResetStatements[machine] = list = new List<string>();
            }
            list.AddRange(result.ResetCommands.Select(r => r.Command));
        }
    }

    private void RunResetMacro(Machine machine)
    {
        var platformStatements = platformResetStatements.GetValueOrDefault(machine);
        var hasMacro = macros.TryGetValue("reset", out var macro);
        if (!hasMacro && platformStatements == null)
        {
            return;
        }
        var previousCurrent = Emulation.CurrentMachine;
        var previousOutput = CurrentOutput;
        var wasOnMachineThread = onMachineThread;
        CurrentOutput = new StringBuilder();
        // Reset runs on the machine's thread when the emulation runs (guest reset, `machine Reset`).
        onMachineThread = Emulation.IsStarted;
        try
        {
            Emulation.CurrentMachine = machine;
            foreach (var statement in platformStatements ?? new List<string>())
            {
                ExecuteLogicalLine(statement);
            }
            if (macro != null)
            {
                RunMacro(macro);
            }
        }
        catch (EmulationException e)
        {
            machine.Log.Error("monitor", $"reset macro failed: {e.Message}");
        }
        finally
        {
            onMachineThread = wasOnMachineThread;
            CurrentOutput = previousOutput;
            Emulation.CurrentMachine = previousCurrent;
        }
    }

    private static void WriteLogLine(StreamWriter writer, LogEntry entry)
    {
        lock (writer)
        {
            try
            {
                writer.WriteLine(entry.ToString());
                writer.Flush();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    // ---- statements ----

    private void ExecuteLogicalLine(string line)
    {
        foreach (var statement in MonitorTokenizer.Tokenize(line))
        {
            if (QuitRequested)
            {
                return;
            }
            ExecuteStatement(statement);
        }
    }

    /// <summary>Runs script text line by line; `"""` blocks span lines. Errors become `source:line: message`.</summary>
    private void ExecuteLines(string text, string source, int firstLine)
    {
        var lines = text.Replace("\r", "").Split('\n');
        var i = 0;
        while (i < lines.Length && !QuitRequested)
        {
            var startLine = i;
            var logical = lines[i++];
            // Renode writes `macro name` alone and opens the """ block on the next line.
            if (MacroHeader().IsMatch(logical) && i < lines.Length && lines[i].TrimStart().StartsWith("\"\"\"", StringComparison.Ordinal))
            {
                logical += "\n" + lines[i++];
            }
            while (CountTripleQuotes(logical) % 2 == 1)
            {
                if (i >= lines.Length)
                {
                    throw new MonitorException($"{source}:{firstLine + startLine}: unterminated \"\"\" block");
                }
                logical += "\n" + lines[i++];
            }
            try
            {
                ExecuteLogicalLine(logical);
            }
            catch (MonitorException e)
            {
                throw new MonitorException($"{source}:{firstLine + startLine}: {e.Message}", e);
            }
            catch (EmulationException e)
            {
                throw new MonitorException($"{source}:{firstLine + startLine}: {e.Message}", e);
            }
        }
    }

    private static int CountTripleQuotes(string text)
    {
        var count = 0;
        for (var at = text.IndexOf("\"\"\"", StringComparison.Ordinal); at >= 0; at = text.IndexOf("\"\"\"", at + 3, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    private void ExecuteStatement(List<MonitorToken> tokens)
    {
        var first = tokens[0];
        if (first.Kind == TokenKind.Variable && tokens.Count > 1 && tokens[1].Kind is TokenKind.Assign or TokenKind.ConditionalAssign)
        {
            Assign(tokens);
            return;
        }
        if (first.Kind == TokenKind.Variable && tokens.Count == 1)
        {
            WriteLine(FormatToken(Expand(first)));
            return;
        }
        if (first.Kind != TokenKind.Word)
        {
            throw new MonitorException($"a command is expected at the start of the line, got {first}");
        }
        var args = tokens.GetRange(1, tokens.Count - 1);
        if (BuiltinCommands.TryGetValue(first.Text, out var builtin))
        {
            builtin.Run(this, args);
            return;
        }
        ExecuteObjectCommand(first.Text, args);
    }

    private void Assign(List<MonitorToken> tokens)
    {
        var name = tokens[0].Text;
        if (tokens[0].Suffix.Length > 0 || tokens.Count != 3)
        {
            throw new MonitorException($"expected `${name} = value` or `${name} ?= value`");
        }
        if (tokens[1].Kind == TokenKind.ConditionalAssign && variables.ContainsKey(name))
        {
            return;
        }
        variables[name] = Expand(tokens[2]);
    }

    /// <summary>Replaces variables by their values and resolves paths against the running script's folder.</summary>
    private MonitorToken Expand(MonitorToken token)
    {
        if (token.Kind == TokenKind.Variable)
        {
            if (!variables.TryGetValue(token.Text, out var value))
            {
                if (macros.ContainsKey(token.Text))
                {
                    return new MonitorToken(TokenKind.Word, token.Text);
                }
                throw new MonitorException($"variable ${token.Text} is not set");
            }
            if (token.Suffix.Length == 0)
            {
                return value;
            }
            var kind = value.Kind is TokenKind.Path or TokenKind.String ? value.Kind : TokenKind.Word;
            var combined = value.Text + token.Suffix;
            return kind == TokenKind.Word ? MonitorTokenizer.Classify(combined) : new MonitorToken(kind, combined);
        }
        if (token.Kind == TokenKind.Path)
        {
            return new MonitorToken(TokenKind.Path, ResolvePath(token.Text));
        }
        return token;
    }

    private static string FormatToken(MonitorToken token) => token.Kind switch
    {
        TokenKind.Number => FormatResult(token.IsNegative ? (object)(long)token.Number : token.Number) ?? "",
        _ => token.Text,
    };

    // ---- objects ----

    private sealed record ResolvedObject(string Name, Machine? Machine, IReadOnlyList<object> Targets);

    private ResolvedObject? ResolveObject(string name)
    {
        switch (name)
        {
            case "emulation":
                return new ResolvedObject(name, null, new object[] { new EmulationObject(this) });
            case "connector":
                return new ResolvedObject(name, null, new object[] { new ConnectorObject(this) });
            case "machine":
                {
                    var m = CurrentMachine;
                    HookMachine(m);
                    return new ResolvedObject(name, m, new object[] { new MachineObject(this, m), m });
                }
            case "sysbus":
                {
                    var m = CurrentMachine;
                    return new ResolvedObject(name, m, new object[] { new SystemBusObject(m), m.SystemBus });
                }
        }
        if (terminals.TryGetValue(name, out var terminal))
        {
            return new ResolvedObject(name, null, new object[] { terminal });
        }
        var machine = Emulation.CurrentMachine;
        if (machine != null && machine.TryGetByName(name, out var peripheral))
        {
            return new ResolvedObject(name, machine, FacadesFor(machine, peripheral));
        }
        return null;
    }

    private object[] FacadesFor(Machine machine, IPeripheral peripheral) => peripheral switch
    {
        RiscV64 hart => new object[] { new CpuObject(this, machine, hart), hart },
        IUART uart => new object[] { new UartObject(this, uart), uart },
        _ => new object[] { peripheral },
    };

    private void ExecuteObjectCommand(string name, List<MonitorToken> args)
    {
        var resolved = ResolveObject(name)
            ?? throw new MonitorException(Emulation.CurrentMachine == null && name != "help"
                ? $"unknown command or object '{name}' (no machine yet: `mach create`); type `help` for the commands"
                : $"unknown command or object '{name}'; type `help` for the commands, `peripherals` for the objects");
        if (args.Count == 0)
        {
            WriteLine(MemberInvoker.Describe(resolved.Targets, name));
            return;
        }
        if (args[0].Kind != TokenKind.Word)
        {
            throw new MonitorException($"{name}: a command or property name is expected after the object, got {args[0]}");
        }
        var member = args[0].Text;
        var values = args.Skip(1).Select(Expand).ToList();
        var result = Invoke(resolved, member, values);
        var text = FormatResult(result);
        if (text != null)
        {
            WriteLine(text);
        }
    }

    private object? Invoke(ResolvedObject resolved, string member, List<MonitorToken> values)
    {
        var machine = resolved.Machine;
        var live = machine != null && !onMachineThread ? Interlocked.Exchange(ref liveLine, null) : null;
        if (machine == null || onMachineThread || WantsMonitorThread(resolved.Targets, member))
        {
            return invoker.Invoke(resolved.Targets, resolved.Name, member, values);
        }
        // On the machine's thread between slices, or while no run goes on: the moment the command takes effect.
        object? RecordAndInvoke()
        {
            if (live != null)
            {
                machine.HostInput.RecordMonitorCommand(live);
            }
            return invoker.Invoke(resolved.Targets, resolved.Name, member, values);
        }
        if (!Emulation.IsStarted)
        {
            // Stopped: it takes effect at the boundary where the run stopped (or before the first one).
            return RecordAndInvoke();
        }
        // The emulation runs: touch the machine between two slices, on its own thread.
        object? result = null;
        Exception? error = null;
        var claimed = 0;
        using var done = new ManualResetEventSlim();
        var captured = CurrentOutput;
        machine.Post(() =>
        {
            if (Interlocked.Exchange(ref claimed, 1) != 0)
            {
                return;
            }
            var saved = CurrentOutput;
            var wasOnMachineThread = onMachineThread;
            CurrentOutput = captured;
            onMachineThread = true;
            try
            {
                result = RecordAndInvoke();
            }
            catch (Exception e)
            {
                error = e;
            }
            finally
            {
                onMachineThread = wasOnMachineThread;
                CurrentOutput = saved;
                done.Set();
            }
        });
        while (!done.Wait(20))
        {
            // The run may have ended (a breakpoint, the guest's exit, a pause) before its next slice boundary:
            // then nobody will take the posted call. Run it here, but only while no run can start or go on.
            var ranHere = false;
            machine.TryRunWhileStopped(() =>
            {
                if (Interlocked.Exchange(ref claimed, 1) == 0)
                {
                    ranHere = true;
                    result = RecordAndInvoke();
                }
            });
            if (ranHere)
            {
                return result;
            }
        }
        if (error != null)
        {
            ExceptionDispatchInfo.Capture(error).Throw();
        }
        return result;
    }

    private static bool WantsMonitorThread(IReadOnlyList<object> targets, string member)
    {
        foreach (var t in targets)
        {
            var members = t.GetType().GetMember(member, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
            if (members.Length > 0)
            {
                return members.Any(m => m.IsDefined(typeof(MonitorThreadAttribute), false));
            }
        }
        return false;
    }

    internal static string? FormatResult(object? result) => result switch
    {
        null => null,
        string s => s,
        bool b => b ? "True" : "False",
        byte v => $"0x{v:X2}",
        ushort v => $"0x{v:X4}",
        uint v => $"0x{v:X8}",
        ulong v => $"0x{v:X}",
        sbyte or short or int or long => FormatSigned(System.Convert.ToInt64(result, CultureInfo.InvariantCulture)),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        TimeSpan t => FormatInterval(t),
        IEnumerable items => string.Join("\n", items.Cast<object?>().Select(i => FormatResult(i) ?? "null")),
        _ => result.ToString(),
    };

    private static string FormatSigned(long v) => v < 0 ? $"-0x{-v:X}" : $"0x{v:X}";

    internal static string FormatInterval(TimeSpan t) =>
        $"{(int)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}.{t.Ticks % TimeSpan.TicksPerSecond * 100:000000000}".TrimEnd('0').TrimEnd('.');

    /// <summary>Converts a token to a parameter type (the monitor's SmartParser).</summary>
    private (bool Ok, object? Value) Convert(MonitorToken token, Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying != null)
        {
            type = underlying;
        }
        if (type == typeof(string) || type == typeof(object))
        {
            return (true, token.Text);
        }
        if (type == typeof(bool))
        {
            if (token.Kind == TokenKind.Boolean)
            {
                return (true, token.Boolean);
            }
            return token.Kind is TokenKind.String or TokenKind.Word && bool.TryParse(token.Text, out var b) ? (true, b) : (false, null);
        }
        if (type == typeof(TimeSpan))
        {
            return TryParseTime(token, out var span) ? (true, span) : (false, null);
        }
        if (type.IsEnum)
        {
            if (token.Kind == TokenKind.Number)
            {
                return (true, Enum.ToObject(type, (long)token.Number));
            }
            var text = token.Text.Contains('.') ? token.Text.Substring(token.Text.LastIndexOf('.') + 1) : token.Text;
            return Enum.TryParse(type, text, true, out var e) && !char.IsDigit(text.FirstOrDefault()) ? (true, e) : (false, null);
        }
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            double d;
            if (token.Kind == TokenKind.Float)
            {
                d = token.Float;
            }
            else if (token.Kind == TokenKind.Number)
            {
                d = token.IsNegative ? -(double)(0 - token.Number) : token.Number;
            }
            else if (token.Kind is not (TokenKind.String or TokenKind.Word) || !double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out d))
            {
                return (false, null);
            }
            return (true, System.Convert.ChangeType(d, type, CultureInfo.InvariantCulture));
        }
        if (type.IsPrimitive && type != typeof(char) && type != typeof(IntPtr) && type != typeof(UIntPtr))
        {
            ulong raw;
            bool negative;
            if (token.Kind == TokenKind.Number)
            {
                raw = token.Number;
                negative = token.IsNegative;
            }
            else if (!(token.Kind is TokenKind.String or TokenKind.Word && MonitorTokenizer.TryParseNumber(token.Text, out raw, out negative)))
            {
                return (false, null);
            }
            return ConvertInteger(raw, negative, type);
        }
        if (typeof(IPeripheral).IsAssignableFrom(type) && token.Kind is TokenKind.Word or TokenKind.String)
        {
            var machine = Emulation.CurrentMachine;
            if (machine != null && machine.TryGetByName(token.Text, out var p) && type.IsInstanceOfType(p))
            {
                return (true, p);
            }
            return (false, null);
        }
        return (false, null);
    }

    private static (bool, object?) ConvertInteger(ulong raw, bool negative, Type type)
    {
        try
        {
            if (negative)
            {
                var signed = (long)raw;
                return type == typeof(long) ? (true, signed)
                    : type == typeof(int) ? (true, checked((int)signed))
                    : type == typeof(short) ? (true, checked((short)signed))
                    : type == typeof(sbyte) ? (true, checked((sbyte)signed))
                    : (false, null);
            }
            return (true, System.Convert.ChangeType(raw, type, CultureInfo.InvariantCulture));
        }
        catch (OverflowException)
        {
            return (false, null);
        }
    }

    internal static bool TryParseTime(MonitorToken token, out TimeSpan span)
    {
        span = default;
        switch (token.Kind)
        {
            case TokenKind.Interval:
                span = token.Interval;
                return true;
            case TokenKind.Number when !token.IsNegative:
                span = TimeSpan.FromSeconds(token.Number);
                return true;
            case TokenKind.Float when token.Float >= 0:
                span = TimeSpan.FromTicks((long)Math.Round(token.Float * TimeSpan.TicksPerSecond));
                return true;
            case TokenKind.String or TokenKind.Word:
                if (MonitorTokenizer.TryParseInterval(token.Text, out span))
                {
                    return true;
                }
                if (double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
                {
                    span = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
                    return true;
                }
                return false;
            default:
                return false;
        }
    }
}
