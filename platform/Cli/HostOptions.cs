using System.Globalization;
using Emulator.Core;

namespace Emulator.Cli;

/// <summary>Command-line options of `emu [options] [script.resc ...]`, named as Renode's.</summary>
public sealed class HostOptions
{
    public List<string> Scripts { get; } = new();

    public List<string> Commands { get; } = new();

    /// <summary>Scripts and -e commands in command-line order, so `-e '$bin = @x.elf' board.resc` overrides a `?=`.</summary>
    public List<HostStep> Steps { get; } = new();

    /// <summary>--console: start in the monitor on this terminal rather than the guest console.</summary>
    public bool StartInMonitor { get; private set; }

    /// <summary>--plain: no raw terminal, no line editing; commands are read line by line.</summary>
    public bool Plain { get; private set; }

    public bool HideLog { get; private set; }

    public string? LogFile { get; private set; }

    public int? MonitorPort { get; private set; }

    public int? RobotServerPort { get; private set; }

    public bool Paused { get; private set; }

    /// <summary>--no-finisher: do not add QEMU virt's test finisher to machines that lack one.</summary>
    public bool NoFinisher { get; private set; }

    public bool ShowHelp { get; private set; }

    /// <summary>--record FILE: write a replay file of the session when it ends (docs/robot.md, Replay).</summary>
    public string? RecordPath { get; private set; }

    /// <summary>The arguments as given, for the replay file.</summary>
    public List<string> Arguments { get; } = new();

    public bool ShowVersion { get; private set; }

    public const string Usage = """
        usage: emu [options] [script.resc ...]     run monitor scripts, then the guest on this terminal
               emu run FILE.elf [--board FILE.repl] [--uart-input TEXT] [--max-instructions N] [--timeout SECONDS]
                   [--seed N] [--schedule slices|random[:N]|pct:D[:K]] [--memory-model sc|rvwmo] [--coherence]
                   [--trace FILE.json [--trace-limit N]]
               emu litmus [--runs N] [--memory-model rvwmo|sc] [--summary] FILE.litmus|@LIST...   run litmus tests
               emu test ...                        run Robot suites (see `emu test --help`)
               emu replay FILE                     re-run a recorded run, session or failed test (docs/robot.md)
               emu dtb BOARD.repl OUT.dtb          write the device tree of a board

        options:
          -e, --execute COMMAND    run a monitor command (repeatable; scripts and commands run in the order given)
          --console                start in the monitor instead of the guest console
          --plain                  no raw terminal: UART output to stdout, monitor commands read line by line from stdin
          --hide-log               do not print the log
          --log-file FILE          write the log to FILE instead of stderr
          -P, --port N             also serve the monitor on 127.0.0.1:N
          --robot-server-port N    serve Robot Framework's remote library protocol on port N
          --paused                 do not start the machine after the scripts
          --no-finisher            do not add the test finisher (0x100000) that lets the guest power off and exit
          --record FILE            write a replay file when the session ends (`emu replay FILE` re-runs it)
          --version                print the version
          -h, --help               this text

        keys on the guest console: Ctrl-A c monitor/guest, Ctrl-A x quit, Ctrl-A h help, Ctrl-A a sends Ctrl-A
        """;

    public static HostOptions Parse(string[] args)
    {
        var o = new HostOptions();
        o.Arguments.AddRange(args);
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            switch (a)
            {
                case "-e":
                case "--execute":
                    o.Commands.Add(Next(args, ref i));
                    o.Steps.Add(new HostStep(false, o.Commands[^1]));
                    break;
                case "--console":
                    o.StartInMonitor = true;
                    break;
                case "--plain":
                    o.Plain = true;
                    break;
                case "--hide-log":
                    o.HideLog = true;
                    break;
                case "--log-file":
                    o.LogFile = Next(args, ref i);
                    break;
                case "-P":
                case "--port":
                    o.MonitorPort = Port(Next(args, ref i), a);
                    break;
                case "--robot-server-port":
                    o.RobotServerPort = Port(Next(args, ref i), a);
                    break;
                case "--paused":
                    o.Paused = true;
                    break;
                case "--no-finisher":
                    o.NoFinisher = true;
                    break;
                case "--record":
                    o.RecordPath = Next(args, ref i);
                    break;
                case "--disable-xwt":
                case "--disable-gui":
                case "--hide-monitor":
                case "--hide-analyzers":
                    // Renode's GUI switches: this emulator has no windows, so they change nothing.
                    break;
                case "-h":
                case "--help":
                    o.ShowHelp = true;
                    break;
                case "-v":
                case "--version":
                    o.ShowVersion = true;
                    break;
                default:
                    if (a.StartsWith('-') && a.Length > 1)
                    {
                        throw new EmulationException($"unknown option {a}; see `emu --help`");
                    }
                    o.Scripts.Add(a);
                    o.Steps.Add(new HostStep(true, a));
                    break;
            }
        }
        return o;
    }

    private static string Next(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new EmulationException($"{args[i]} needs a value");
        }
        return args[++i];
    }

    private static int Port(string text, string option)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new EmulationException($"{option} takes a TCP port 1..65535, got '{text}'");
        }
        return port;
    }
}
