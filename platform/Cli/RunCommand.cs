using System.Globalization;
using System.Text;
using Emulator.Core;
using Emulator.Devicetree;
using Emulator.Loaders;
using Emulator.Peripherals.CPU;
using Emulator.Peripherals.Memory;
using Emulator.Terminals;

namespace Emulator.Cli;

/// <summary>
/// `emu run FILE.elf`: a batch run for CI. Without --board the machine is one hart with 128 MiB of RAM
/// at 0x8000_0000 (enough for the RISC-V ISA tests); the guest ends the run through HTIF or the test
/// finisher, and its exit code becomes ours. A limit reached exits 124, as `timeout` does.
/// With --board FILE.repl the machine is that board plus the test finisher overlay, booted as QEMU virt
/// boots (BootSetup: device tree in RAM, a0 = hart id, a1 = its address); uart0's output goes to stdout
/// and --uart-input bytes are typed into uart0 from the start (the UART takes them as its FIFO has room).
/// </summary>
public static class RunCommand
{
    public const int LimitExitCode = 124;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, null);

    /// <summary>Runs; with <paramref name="replay"/>, its recorded input instead of live input (`emu replay`).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, ReplayRecording? replay)
    {
        string? elf = null;
        string? recordPath = null;
        string? board = null;
        string? uartInput = null;
        ulong maxInstructions = 0;
        double timeoutSeconds = 0;
        int? seed = null;
        var coherence = false;
        string? tracePath = null;
        var traceLimit = Emulator.Tracing.TraceRecorder.DefaultMaxEvents;
        var schedule = Emulator.Scheduling.SchedulePolicy.Slices;
        var memoryModel = Emulator.MemoryModels.MemoryModelKind.Sc;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--max-instructions":
                    maxInstructions = ParseUnsigned(NextValue(args, ref i), "--max-instructions");
                    break;
                case "--board":
                    board = NextValue(args, ref i);
                    break;
                case "--record":
                    recordPath = NextValue(args, ref i);
                    break;
                case "--seed":
                    seed = (int)Math.Min(int.MaxValue, ParseUnsigned(NextValue(args, ref i), "--seed"));
                    break;
                case "--coherence":
                    coherence = true;
                    break;
                case "--trace":
                    tracePath = NextValue(args, ref i);
                    break;
                case "--trace-limit":
                    traceLimit = (int)Math.Min(int.MaxValue, ParseUnsigned(NextValue(args, ref i), "--trace-limit"));
                    break;
                case "--schedule":
                    schedule = Emulator.Scheduling.SchedulePolicy.Parse(NextValue(args, ref i));
                    break;
                case "--memory-model":
                    memoryModel = Emulator.MemoryModels.MemoryModelNames.Parse(NextValue(args, ref i));
                    break;
                case "--uart-input":
                    uartInput = Unescape(NextValue(args, ref i));
                    break;
                case "--timeout":
                    if (!double.TryParse(NextValue(args, ref i), NumberStyles.Float, CultureInfo.InvariantCulture, out timeoutSeconds) || timeoutSeconds <= 0)
                    {
                        throw new EmulationException("--timeout takes a positive number of virtual seconds");
                    }
                    break;
                default:
                    if (args[i].StartsWith('-'))
                    {
                        throw new EmulationException($"unknown option {args[i]}");
                    }
                    if (elf != null)
                    {
                        throw new EmulationException("run takes one ELF file");
                    }
                    elf = args[i];
                    break;
            }
        }
        if (elf == null)
        {
            throw new EmulationException("run needs an ELF file: emu run FILE.elf");
        }

        if (board == null && uartInput != null)
        {
            throw new EmulationException("--uart-input needs --board (the default machine has no UART)");
        }
        using var emulation = new Emulation();
        using var monitor = new Emulator.Monitor.Monitor(emulation);
        var machine = board == null ? CreateDefaultMachine() : emulation.CreateMachine();
        machine.Log.EntryLogged += entry => stderr.WriteLine(entry.ToString());
        var recorder = new SessionRecorder(machine);
        if (board != null)
        {
            LoadBoard(monitor, machine, board);
            if (tracePath != null)
            {
                LoadTraceOverlay(monitor, machine, board);
            }
            recorder.AttachConsole();
        }
        var image = ElfLoader.Load(machine, elf);
        if (board != null)
        {
            BootSetup.Apply(machine, image);
            var uart = FindConsoleUart(machine);
            var output = stdout;
            uart.CharReceived += b => output.Write((char)b);
            foreach (var b in Encoding.UTF8.GetBytes(uartInput ?? ""))
            {
                uart.WriteChar(b);
            }
        }
        // A seed varies the harts' interleaving reproducibly (as `emulation SetSeed`).
        machine.Seed = seed;
        // Cache-line transfers are counted only when asked for: the model turns translation off.
        machine.CoherenceModelEnabled = coherence;
        machine.Schedule = schedule;
        machine.MemoryModel = memoryModel;
        if (tracePath != null)
        {
            machine.StartTrace(tracePath, traceLimit);
        }
        replay?.ApplyTo(machine);
        var limits = new RunLimits(maxInstructions, (ulong)(timeoutSeconds * 1e9));
        var reason = machine.Run(limits);
        stdout.Flush();
        if (tracePath != null)
        {
            stderr.WriteLine($"emu: {machine.StopTrace()}");
        }
        var code = Report(machine, reason, stderr);
        if (recordPath != null)
        {
            var recording = new ReplayRecording { Kind = "run", Arguments = WithoutRecord(args), WorkingDirectory = Directory.GetCurrentDirectory() };
            recorder.Finish(recording, Array.Empty<string>(), endedByHost: false, code);
            recording.Save(recordPath);
            stderr.WriteLine($"emu: recorded {recording.Inputs.Count} input deliveries to {recordPath} (replay: emu replay {QuoteForShell(recordPath)})");
        }
        if (replay != null)
        {
            stderr.WriteLine(SessionRecorder.Compare(replay, recorder.Output));
        }
        if (code != 0 && (seed.HasValue || schedule.IsFineGrained || memoryModel != Emulator.MemoryModels.MemoryModelKind.Sc))
        {
            stderr.WriteLine(ReplayLine(args, seed));
        }
        return code;
    }

    /// <summary>The arguments without `--record FILE`, as a replay file stores them.</summary>
    internal static List<string> WithoutRecord(IReadOnlyList<string> args)
    {
        var kept = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--record")
            {
                i++;
                continue;
            }
            kept.Add(args[i]);
        }
        return kept;
    }

    /// <summary>What a failing exploratory run prints: its seed and the command that replays it exactly.</summary>
    public static string ReplayLine(string[] args, int? seed)
    {
        var replay = new List<string> { "emu", "run" };
        replay.AddRange(args);
        if (!seed.HasValue)
        {
            replay.Add("--seed");
            replay.Add("0");
        }
        return $"emu: failed with seed {seed ?? 0}; replay: {string.Join(' ', replay.Select(QuoteForShell))}";
    }

    private static string QuoteForShell(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@+,".Contains(c)) ? word : "'" + word.Replace("'", "'\\''") + "'";

    /// <summary>Loads the board and, unless it has one, the test finisher overlay (platform/boards/finisher.repl).</summary>
    private static void LoadBoard(Emulator.Monitor.Monitor monitor, Machine machine, string board)
    {
        if (!File.Exists(board))
        {
            throw new EmulationException($"{board}: no such file");
        }
        monitor.Execute($"machine LoadPlatformDescription @\"{Path.GetFullPath(board)}\"");
        if (machine.TryGetByName("finisher", out _))
        {
            return;
        }
        var overlay = FindFinisherOverlay(board)
            ?? throw new EmulationException("cannot find platform/boards/finisher.repl (the test finisher overlay) next to the board or the emulator");
        monitor.Execute($"machine LoadPlatformDescription @\"{overlay}\"");
    }

    /// <summary>platform/boards/finisher.repl, looked for next to a board or script, then next to the emulator's build.</summary>
    internal static string? FindFinisherOverlay(string board) => FindOverlay(board, "finisher.repl");

    /// <summary>With --trace, the trace device (platform/boards/trace.repl) the guest announces its threads and tokens to.</summary>
    private static void LoadTraceOverlay(Emulator.Monitor.Monitor monitor, Machine machine, string board)
    {
        if (machine.Peripherals.Any(p => p.Value.GetType().Name == "TraceDevice"))
        {
            return;
        }
        var overlay = FindOverlay(board, "trace.repl")
            ?? throw new EmulationException("cannot find platform/boards/trace.repl (the trace device overlay) next to the board or the emulator");
        monitor.Execute($"machine LoadPlatformDescription @\"{overlay}\"");
    }

    private static string? FindOverlay(string board, string file)
    {
        var boardDir = Path.GetDirectoryName(Path.GetFullPath(board))!;
        var candidates = new[]
        {
            Path.Combine(boardDir, file),
            Path.Combine(boardDir, "platform", "boards", file),
            Path.Combine(AppContext.BaseDirectory, "..", "..", "platform", "boards", file),
        };
        return candidates.Select(Path.GetFullPath).FirstOrDefault(File.Exists);
    }

    private static IUART FindConsoleUart(Machine machine)
    {
        if (machine.TryGetByName("uart0", out var named) && named is IUART uart0)
        {
            return uart0;
        }
        return machine.Peripherals.Select(p => p.Value).OfType<IUART>().FirstOrDefault()
            ?? throw new EmulationException("the board has no UART for the console");
    }

    /// <summary>`\n`, `\r`, `\t`, `\\` and `\xNN` escapes, so a shell argument can carry Enter and control keys.</summary>
    public static string Unescape(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                result.Append(text[i]);
                continue;
            }
            var next = text[++i];
            switch (next)
            {
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 't': result.Append('\t'); break;
                case '\\': result.Append('\\'); break;
                case 'x' when i + 2 < text.Length && byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b):
                    result.Append((char)b);
                    i += 2;
                    break;
                default:
                    throw new EmulationException($"--uart-input: unknown escape \\{next}; use \\n, \\r, \\t, \\\\ or \\xNN");
            }
        }
        return result.ToString();
    }

    public static Machine CreateDefaultMachine()
    {
        var machine = new Machine();
        machine.Register("ram", new MappedMemory(128L << 20));
        machine.SystemBus.Register((MappedMemory)GetByName(machine, "ram"), 0x8000_0000, 128UL << 20, "ram");
        machine.Register("cpu0", new RiscV64("rv64imac_zicsr_zifencei", null, 0, PrivilegedArchitecture.Priv1_11, allowUnalignedAccesses: true));
        return machine;
    }

    public static int Report(Machine machine, StopReason reason, TextWriter stderr)
    {
        switch (reason)
        {
            case StopReason.GuestExit:
                return machine.ExitCode;
            case StopReason.InstructionLimit:
                stderr.WriteLine($"emu: instruction limit reached after {machine.TotalInstructions} instructions");
                return LimitExitCode;
            case StopReason.TimeLimit:
                stderr.WriteLine($"emu: virtual time limit reached at {machine.Clock.Now / 1e9:0.######} s");
                return LimitExitCode;
            case StopReason.AllHartsIdle:
                stderr.WriteLine($"emu: {machine.StopMessage}; the guest can never make progress");
                return LimitExitCode;
            default:
                stderr.WriteLine($"emu: stopped ({reason})");
                return 1;
        }
    }

    private static IPeripheral GetByName(Machine machine, string name) =>
        machine.TryGetByName(name, out var p) ? p : throw new EmulationException($"no peripheral {name}");

    private static string NextValue(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new EmulationException($"{args[i]} needs a value");
        }
        return args[++i];
    }

    private static ulong ParseUnsigned(string text, string option)
    {
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v)
            : ulong.TryParse(text.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out v);
        if (!ok)
        {
            throw new EmulationException($"{option} takes a non-negative integer, got '{text}'");
        }
        return v;
    }
}
