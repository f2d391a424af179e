using System.Text;
using Emulator.Core;
using Emulator.Logging;
using Emulator.Terminals;

namespace Emulator.Monitor;

/// <summary>The built-in commands (`help`, `mach`, `include`, `macro`, `start`, ...).</summary>
public sealed partial class Monitor
{
    private sealed record BuiltinCommand(string Usage, string Description, Action<Monitor, List<MonitorToken>> Run);

    private sealed record MacroDefinition(string Name, string Body, string Source, int Line, string? Origin);

    private static readonly Dictionary<string, BuiltinCommand> BuiltinCommands = CreateBuiltins();

    private static Dictionary<string, BuiltinCommand> CreateBuiltins()
    {
        var c = new Dictionary<string, BuiltinCommand>(StringComparer.Ordinal)
        {
            ["help"] = new("help [command|object]", "shows the commands, or one command's usage, or an object's members", (m, a) => m.Help(a)),
            ["mach"] = new("mach [create [\"name\"] | set \"name\"|N | rem \"name\" | clear]", "creates, selects and removes machines; alone, lists them", (m, a) => m.Mach(a)),
            ["include"] = new("include @file.resc|@file.repl|@file.cs", "runs a monitor script, loads a platform description into the current machine, or compiles a C# peripheral (Renode's API) for later .repl files", (m, a) => m.Include(a)),
            ["using"] = new("using sysbus", "lets peripherals be named without the `sysbus.` prefix", (m, a) => m.Using(a)),
            ["macro"] = new("macro name \"\"\"commands\"\"\"", "defines a macro (`reset` runs on machine reset)", (m, a) => m.DefineMacro(a)),
            ["runMacro"] = new("runMacro $name", "runs a macro", (m, a) => m.RunMacroCommand(a)),
            ["set"] = new("set name value", "sets a variable ($name)", (m, a) => m.SetCommand(a)),
            ["execute"] = new("execute $variable", "runs the command held in a variable", (m, a) => m.ExecuteCommand(a)),
            ["showAnalyzer"] = new("showAnalyzer sysbus.uart0", "shows what a UART transmits (a terminal, the console, or log lines when headless)", (m, a) => m.ShowAnalyzer(a)),
            ["start"] = new("start", "starts the emulation", (m, a) => m.StartCommand(a)),
            ["pause"] = new("pause", "pauses the emulation", (m, a) => m.PauseCommand(a)),
            ["quit"] = new("quit", "ends the emulator", (m, a) => m.QuitCommand(a)),
            ["peripherals"] = new("peripherals", "lists the current machine's peripherals and their addresses", (m, a) => m.Peripherals(a)),
            ["logLevel"] = new("logLevel [level] [object]", "shows or sets log levels: -1 Noisy, 0 Debug, 1 Info, 2 Warning, 3 Error", (m, a) => m.LogLevelCommand(a)),
            ["logFile"] = new("logFile @path", "also writes every machine's log to a file", (m, a) => m.LogFileCommand(a)),
            ["version"] = new("version", "prints the emulator's version", (m, a) => m.WriteLine($"emu {typeof(Machine).Assembly.GetName().Version}")),
        };
        c["i"] = c["include"];
        c["sa"] = c["showAnalyzer"];
        c["s"] = c["start"];
        c["p"] = c["pause"];
        c["q"] = c["quit"];
        c["?"] = c["help"];
        return c;
    }

    private static readonly (string Name, string Description)[] ObjectHelp =
    {
        ("emulation", "RunFor \"00:00:01\", SetGlobalQuantum \"0.0001\", SetGlobalSerialExecution true, SetSeed n, SetSchedule \"pct:3\", SetMemoryModel \"rvwmo\", SetTranslation false, SetCoherenceModel true, CreateServerSocketTerminal port \"name\" [emitConfig]"),
        ("machine", "LoadPlatformDescription @f, LoadPlatformDescriptionFromString \"...\", StartGdbServer port, StartTrace @f.json [maxEvents], StopTrace, Reset"),
        ("sysbus", "LoadELF @f [cpu], LoadBinary @f addr, LoadFdt @f addr, Read/Write{Byte,Word,DoubleWord,QuadWord}, LogPeripheralAccess p [true]"),
        ("connector", "Connect sysbus.uart0 name, Disconnect sysbus.uart0 name"),
        ("cpu0", "PC [value], Step [n], PerformanceInMips [n], Statistics, GetRegister n, SetRegister n v"),
        ("uart0", "CreateFileBackend @path [immediateFlush], CloseFileBackend @path"),
    };

    private static void ExpectArgs(string command, List<MonitorToken> args, int min, int max)
    {
        if (args.Count < min || args.Count > max)
        {
            var usage = BuiltinCommands[command].Usage;
            throw new MonitorException($"{command}: wrong number of arguments; usage: {usage}");
        }
    }

    private void Help(List<MonitorToken> args)
    {
        if (args.Count > 0)
        {
            var name = args[0].Text;
            if (BuiltinCommands.TryGetValue(name, out var command))
            {
                WriteLine($"{name}: {command.Description}");
                WriteLine($"Usage: {command.Usage}");
                return;
            }
            var resolved = ResolveObject(name)
                ?? throw new MonitorException($"help: no command or object named '{name}'; type `help` for the list");
            WriteLine(MemberInvoker.Describe(resolved.Targets, name));
            return;
        }
        WriteLine("Available commands:");
        WriteLine($"{"Name",-14} | Description");
        WriteLine(new string('=', 80));
        foreach (var (name, command) in BuiltinCommands.Where(kv => kv.Key.Length > 2).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            WriteLine($"{name,-14} : {command.Description}");
        }
        WriteLine("");
        WriteLine("Objects (type the name alone to list every member):");
        foreach (var (name, description) in ObjectHelp)
        {
            WriteLine($"{name,-14} : {description}");
        }
        WriteLine("");
        WriteLine("Syntax: `# comment`, `$var = value`, `$var ?= value`, `@path` (script folder, then current folder), \"strings\",");
        WriteLine("0x numbers, <start, end> ranges, \"00:00:01.5\" times, `;` between commands.");
    }

    private void Mach(List<MonitorToken> args)
    {
        if (args.Count == 0)
        {
            WriteLine("Available machines:");
            var all = Emulation.Machines;
            for (var i = 0; i < all.Count; i++)
            {
                WriteLine($"  {(all[i] == Emulation.CurrentMachine ? "*" : " ")} [{i}] {all[i].Name}");
            }
            return;
        }
        var sub = args[0].Text;
        var values = args.Skip(1).Select(Expand).ToList();
        switch (sub)
        {
            case "create":
                {
                    if (values.Count > 1)
                    {
                        throw new MonitorException("mach create takes at most one name: mach create \"name\"");
                    }
                    var machine = Emulation.CreateMachine(values.Count == 1 ? values[0].Text : null);
                    HookMachine(machine);
                    MachineAdded?.Invoke(machine);
                    return;
                }
            case "set":
                {
                    if (values.Count != 1)
                    {
                        throw new MonitorException("mach set needs a machine name or number: mach set \"machine-0\"");
                    }
                    Emulation.CurrentMachine = FindMachine(values[0]);
                    return;
                }
            case "rem":
                {
                    if (values.Count != 1)
                    {
                        throw new MonitorException("mach rem needs a machine name or number: mach rem \"machine-0\"");
                    }
                    var machine = FindMachine(values[0]);
                    Emulation.RemoveMachine(machine);
                    return;
                }
            case "clear":
                Emulation.CurrentMachine = null;
                return;
            default:
                throw new MonitorException($"mach: unknown subcommand '{sub}'; expected create, set, rem or clear");
        }
    }

    private Machine FindMachine(MonitorToken token)
    {
        var all = Emulation.Machines;
        if (token.Kind == TokenKind.Number)
        {
            return token.Number < (ulong)all.Count ? all[(int)token.Number] : throw new MonitorException($"no machine number {token.Number}; there are {all.Count}");
        }
        return all.FirstOrDefault(m => m.Name == token.Text) ?? throw new MonitorException($"no machine named '{token.Text}'");
    }

    private void Include(List<MonitorToken> args)
    {
        ExpectArgs("include", args, 1, 1);
        var token = Expand(args[0]);
        if (token.Kind is not (TokenKind.Path or TokenKind.String))
        {
            throw new MonitorException($"include needs a file: include @file.resc, got {args[0]}");
        }
        var path = token.Kind == TokenKind.Path ? token.Text : ResolvePath(token.Text);
        if (!File.Exists(path))
        {
            throw new MonitorException($"{path}: no such file");
        }
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".repl")
        {
            new MachineObject(this, CurrentMachine).LoadPlatformDescription(path);
            return;
        }
        if (extension == ".cs")
        {
            PeripheralSources.Include(path);
            return;
        }
        if (extension is not (".resc" or ".txt" or ""))
        {
            throw new MonitorException($"include runs .resc scripts, loads .repl files and compiles .cs peripherals; cannot include {Path.GetFileName(path)}");
        }
        RunScriptFile(path);
    }

    private void RunScriptFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
            Emulation.NoteScriptFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MonitorException($"{path}: {e.Message}");
        }
        var origin = Path.GetDirectoryName(path) ?? Directory.GetCurrentDirectory();
        var hadOrigin = variables.TryGetValue("ORIGIN", out var previousOrigin);
        origins.Push(origin);
        variables["ORIGIN"] = new MonitorToken(TokenKind.Path, origin);
        variables["CWD"] = new MonitorToken(TokenKind.Path, Directory.GetCurrentDirectory());
        try
        {
            ExecuteLines(text, DisplayName(path), 1);
        }
        finally
        {
            origins.Pop();
            if (hadOrigin)
            {
                variables["ORIGIN"] = previousOrigin!;
            }
            else
            {
                variables.Remove("ORIGIN");
            }
        }
    }

    private static string DisplayName(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    private void Using(List<MonitorToken> args)
    {
        ExpectArgs("using", args, 1, 1);
        if (args[0].Text is not ("sysbus" or "sysbus." or "-"))
        {
            throw new MonitorException($"using: only `using sysbus` is supported, got {args[0]}");
        }
        // Peripherals resolve with or without the `sysbus.` prefix either way.
    }

    private void DefineMacro(List<MonitorToken> args)
    {
        if (args.Count != 2 || args[0].Kind != TokenKind.Word || args[1].Kind is not (TokenKind.MultilineString or TokenKind.String))
        {
            throw new MonitorException("macro: expected `macro name` followed by a \"\"\" block of commands \"\"\"");
        }
        var origin = origins.Count > 0 ? origins.Peek() : null;
        macros[args[0].Text] = new MacroDefinition(args[0].Text, args[1].Text, $"macro {args[0].Text}", 1, origin);
    }

    private void RunMacroCommand(List<MonitorToken> args)
    {
        ExpectArgs("runMacro", args, 1, 1);
        var name = args[0].Text;
        if (!macros.TryGetValue(name, out var macro))
        {
            throw new MonitorException($"runMacro: no macro named '{name}'; define it with `macro {name}` and a \"\"\" block");
        }
        RunMacro(macro);
    }

    private void RunMacro(MacroDefinition macro)
    {
        if (macro.Origin != null)
        {
            origins.Push(macro.Origin);
        }
        try
        {
            // The body starts right after the opening """ (often a newline), so lines count from there.
            ExecuteLines(macro.Body, macro.Source, 0);
        }
        finally
        {
            if (macro.Origin != null)
            {
                origins.Pop();
            }
        }
    }

    private void SetCommand(List<MonitorToken> args)
    {
        ExpectArgs("set", args, 2, 2);
        variables[args[0].Text.TrimStart('$')] = Expand(args[1]);
    }

    private void ExecuteCommand(List<MonitorToken> args)
    {
        ExpectArgs("execute", args, 1, 1);
        ExecuteLogicalLine(Expand(args[0]).Text);
    }

    private void ShowAnalyzer(List<MonitorToken> args)
    {
        if (args.Count is < 1 or > 2)
        {
            throw new MonitorException("showAnalyzer: expected a UART: showAnalyzer sysbus.uart0");
        }
        var machine = CurrentMachine;
        var name = Expand(args[0]).Text;
        if (!machine.TryGetByName(name, out var peripheral))
        {
            throw new MonitorException($"showAnalyzer: no peripheral named '{name}'; type `peripherals` for the list");
        }
        if (peripheral is not IUART uart)
        {
            throw new MonitorException($"showAnalyzer: {name} is not a UART");
        }
        if (!analyzedUarts.Add(uart))
        {
            return;
        }
        var shortName = machine.GetName(uart);
        if (AnalyzerRequested != null)
        {
            AnalyzerRequested(machine, shortName, uart);
            return;
        }
        AddBackend(new UartLineAnalyzer(uart, line => machine.Log.Info(shortName, line)));
    }

    private void StartCommand(List<MonitorToken> args)
    {
        ExpectArgs("start", args, 0, 0);
        if (Emulation.Machines.Count == 0)
        {
            throw new MonitorException("start: there is no machine to run; create one with `mach create`");
        }
        WriteLine("Starting emulation...");
        Emulation.Start();
    }

    private void PauseCommand(List<MonitorToken> args)
    {
        ExpectArgs("pause", args, 0, 0);
        WriteLine("Pausing emulation...");
        Emulation.Pause();
    }

    private void QuitCommand(List<MonitorToken> args)
    {
        ExpectArgs("quit", args, 0, 0);
        WriteLine("Renode is quitting");
        QuitRequested = true;
        Quit?.Invoke();
    }

    private void Peripherals(List<MonitorToken> args)
    {
        ExpectArgs("peripherals", args, 0, 0);
        var machine = CurrentMachine;
        WriteLine("Available peripherals:");
        WriteLine("  sysbus (SystemBus)");
        var entries = machine.Peripherals.Where(kv => kv.Key != "sysbus").OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            var (name, peripheral) = entries[i];
            var last = i == entries.Count - 1;
            WriteLine("  │");
            WriteLine($"  {(last ? "└──" : "├──")} {name} ({peripheral.GetType().Name})");
            var ranges = machine.SystemBus.Registrations.Where(r => ReferenceEquals(r.Peripheral, peripheral)).ToList();
            foreach (var r in ranges)
            {
                WriteLine($"  {(last ? " " : "│")}     <0x{r.Start:X8}, 0x{r.End - 1:X8}>");
            }
        }
    }

    private void LogLevelCommand(List<MonitorToken> args)
    {
        ExpectArgs("logLevel", args, 0, 2);
        var machines = Emulation.Machines;
        if (args.Count == 0)
        {
            foreach (var m in machines)
            {
                WriteLine($"{m.Name}: {m.Log.Level} ({(int)m.Log.Level})");
            }
            if (machines.Count == 0)
            {
                WriteLine("no machine");
            }
            return;
        }
        var levelToken = Expand(args[0]);
        var level = ParseLevel(levelToken);
        if (args.Count == 1)
        {
            foreach (var m in machines)
            {
                m.Log.SetLevel(level);
            }
            return;
        }
        var machine = CurrentMachine;
        var target = Expand(args[1]).Text;
        if (!machine.TryGetByName(target, out var peripheral) && target is not ("sysbus" or "machine"))
        {
            throw new MonitorException($"logLevel: no object named '{target}'; type `peripherals` for the list");
        }
        var source = peripheral != null ? machine.GetName(peripheral) : target;
        machine.Log.SetLevel(level, source);
    }

    private static LogLevel ParseLevel(MonitorToken token)
    {
        if (token.Kind == TokenKind.Number)
        {
            var value = (long)token.Number;
            if (value is >= -1 and <= 3)
            {
                return (LogLevel)value;
            }
        }
        else if (Enum.TryParse<LogLevel>(token.Text, true, out var named) && !char.IsDigit(token.Text[0]) && token.Text[0] != '-')
        {
            return named;
        }
        throw new MonitorException($"logLevel: expected a level -1..3 or Noisy, Debug, Info, Warning, Error; got {token}");
    }

    private void LogFileCommand(List<MonitorToken> args)
    {
        ExpectArgs("logFile", args, 1, 1);
        var path = Expand(args[0]);
        var full = path.Kind == TokenKind.Path ? path.Text : ResolvePath(path.Text);
        logFile?.Dispose();
        try
        {
            logFile = new StreamWriter(full, append: false, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MonitorException($"logFile: cannot write {full}: {e.Message}");
        }
        var writer = logFile;
        foreach (var m in Emulation.Machines)
        {
            m.Log.EntryLogged += entry => WriteLogLine(writer, entry);
        }
    }
}
