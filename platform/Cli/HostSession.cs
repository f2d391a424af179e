using System.Text;
using Emulator.Core;
using Emulator.Monitor;
using Emulator.Robot;
using Emulator.Terminals;

namespace Emulator.Cli;

/// <summary>
/// `emu [options] script.resc`: runs the scripts and `-e` commands, starts the machine, and puts the guest's
/// UART on this terminal in raw mode, with Ctrl-A c switching to the monitor (and back), Ctrl-A x quitting.
/// Without a terminal (or with --plain) the UART goes to stdout and monitor commands are read from stdin.
/// The log goes to stderr or --log-file. Exit code: the guest's, when it exits; 0 after `quit`.
/// </summary>
public sealed class HostSession
{
    private const byte CtrlA = 0x01;
    private readonly HostOptions options;
    private readonly Stream input;
    private readonly ConsoleOutput console;
    private readonly TextWriter errors;
    private readonly TaskCompletionSource<int> exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> history = new();
    private readonly MemoryStream pendingGuestOutput = new();
    private Emulator.Monitor.Monitor monitor = null!;
    private IUART? consoleUart;
    private LogSink? log;
    private volatile bool inMonitor;
    private bool scriptsOk = true;
    private ReplayRecording? replay;
    private SessionRecorder? recorder;

    private HostSession(HostOptions options, Stream input, Stream output, TextWriter errors)
    {
        this.options = options;
        this.input = input;
        console = new ConsoleOutput(output);
        this.errors = errors;
    }

    /// <summary>Runs with the process's own stdin, stdout and stderr (raw mode when stdin is a terminal).</summary>
    public static int Run(HostOptions options)
    {
        var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
        // fd 0 itself: Console.OpenStandardInput on a terminal reads through .NET's own line editor (with echo),
        // which would undo raw mode.
        var stdin = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(0, ownsHandle: false), FileAccess.Read, 1);
        var session = new HostSession(options, stdin, Console.OpenStandardOutput(), stderr);
        return session.Run(allowRawTerminal: !options.Plain);
    }

    /// <summary>Re-runs a recorded session (`emu replay`): no live input, the recording's input at its times.</summary>
    public static int Replay(HostOptions options, ReplayRecording recording, Stream stdout, TextWriter stderr)
    {
        var session = new HostSession(options, Stream.Null, stdout, stderr) { replay = recording };
        return session.Run(allowRawTerminal: false);
    }

    /// <summary>Runs on the given streams in line mode (tests).</summary>
    public static int RunWithStreams(HostOptions options, Stream stdin, Stream stdout, TextWriter stderr)
    {
        var session = new HostSession(options, stdin, stdout, stderr);
        return session.Run(allowRawTerminal: false);
    }

    private int Run(bool allowRawTerminal)
    {
        using var emulation = new Emulation();
        using var m = new Emulator.Monitor.Monitor(emulation);
        monitor = m;
        log = options.HideLog ? null
            : options.LogFile != null ? new LogSink(OpenLogFile(options.LogFile), ownsWriter: true)
            : new LogSink(errors, ownsWriter: false);
        monitor.MachineAdded += machine => log?.Attach(machine);
        if (options.RecordPath != null || replay != null)
        {
            // The first machine is the one recorded (or replayed).
            emulation.MachineCreated += machine =>
            {
                if (recorder != null)
                {
                    return;
                }
                recorder = new SessionRecorder(machine);
                // Before the scripts can start it: a replay that began after `start` could miss its first inputs.
                if (replay != null)
                {
                    replay.ApplyTo(machine);
                    machine.HostInput.MonitorCommandReplayer = ReplayMonitorCommand;
                }
            };
        }
        monitor.AnalyzerRequested += (_, _, uart) => ShowUart(uart);
        monitor.Quit += () => exit.TrySetResult(0);
        emulation.MachineStopped += (machine, reason) =>
        {
            if (reason == StopReason.GuestExit && emulation.Machines.All(x => x.HasExited))
            {
                log?.WriteLine($"emu: {machine.Name} exited with code {machine.ExitCode}{(machine.StopMessage.Length > 0 ? $" ({machine.StopMessage})" : "")}");
                exit.TrySetResult(machine.ExitCode);
            }
            if (reason == StopReason.RecordingEnd)
            {
                exit.TrySetResult(replay?.ExitCode ?? 0);
            }
        };
        MonitorSocketServer? socketMonitor = null;
        RobotRemoteServer? robotServer = null;
        try
        {
            scriptsOk = RunScriptsAndCommands();
            if (monitor.QuitRequested)
            {
                return scriptsOk ? 0 : 1;
            }
            recorder?.AttachConsole();
            if (replay != null)
            {
                if (recorder == null)
                {
                    throw new EmulationException("the replayed scripts create no machine");
                }
            }
            if (options.MonitorPort is { } port)
            {
                socketMonitor = new MonitorSocketServer(monitor, port);
                errors.WriteLine($"emu: monitor on 127.0.0.1:{socketMonitor.Port} (e.g. `nc 127.0.0.1 {socketMonitor.Port}`)");
            }
            if (options.RobotServerPort is { } robotPort)
            {
                robotServer = RobotRemoteServer.Start(robotPort, emulation, _ => new MonitorCommandRunner(monitor), errors);
                robotServer.Stopped.ContinueWith(_ => exit.TrySetResult(0), TaskScheduler.Default);
            }
            // A replay runs as fast as it can: pacing to the host clock changes no slice boundary.
            emulation.Interactive = replay == null;
            // Started only after the banner below, so the guest's first line never splits it.
            // The scripts' machines start unless --paused, or unless a script already ran them (`emulation RunFor`):
            // that script decides how long the guest runs, so at the end of stdin the session ends with it.
            void StartIfWanted()
            {
                if (scriptsOk && !options.Paused && emulation.Machines.Any(m => m.Harts.Count > 0)
                    && emulation.Machines.All(m => m.Clock.Now == 0))
                {
                    emulation.Start();
                }
            }
            if (robotServer != null && !options.StartInMonitor)
            {
                // Often started in the background (`emu --robot-server-port N &`): touching the terminal would
                // stop the process (SIGTTIN/SIGTTOU), so it only serves until `Stop Remote Server` or a signal.
                StartIfWanted();
                var robotCode = exit.Task.GetAwaiter().GetResult();
                emulation.Pause();
                return robotCode;
            }
            using var raw = allowRawTerminal ? RawTerminal.TryEnter(errors) : null;
            if (raw != null)
            {
                console.TranslateNewlines = true;
                if (log != null && options.LogFile == null)
                {
                    log.RawTerminal = true;
                }
                inMonitor = options.StartInMonitor || !scriptsOk || consoleUart == null;
                errors.Write($"emu: {(consoleUart != null ? "guest console on this terminal" : "no UART shown (showAnalyzer)")}; Ctrl-A c: monitor/guest, Ctrl-A x: quit, Ctrl-A h: keys\r\n");
                if (inMonitor)
                {
                    console.WriteText(monitor.Prompt);
                }
                StartIfWanted();
                StartThread(RawInputLoop, "console input");
            }
            else
            {
                errors.WriteLine("emu: monitor commands are read from stdin (`quit` ends); guest output goes to stdout");
                StartIfWanted();
                StartThread(LineInputLoop, "monitor input");
            }
            var code = exit.Task.GetAwaiter().GetResult();
            emulation.Pause();
            return code;
        }
        finally
        {
            socketMonitor?.Dispose();
            robotServer?.Dispose();
            emulation.Pause();
            FinishRecording(emulation);
            if (console.TranslateNewlines)
            {
                console.WriteText("\n");
            }
            log?.Dispose();
        }
    }

    private void FinishRecording(Emulation emulation)
    {
        if (recorder == null)
        {
            return;
        }
        if (replay != null)
        {
            errors.WriteLine(SessionRecorder.Compare(replay, recorder.Output));
            return;
        }
        if (options.RecordPath == null)
        {
            return;
        }
        var code = exit.Task.IsCompletedSuccessfully ? exit.Task.Result : 0;
        var recording = new ReplayRecording
        {
            Kind = "session",
            Arguments = RunCommand.WithoutRecord(options.Arguments),
            WorkingDirectory = Directory.GetCurrentDirectory(),
        };
        recorder.Finish(recording, emulation.ScriptFiles, endedByHost: !recorder.Machine.HasExited, code);
        recording.Save(options.RecordPath);
        errors.WriteLine($"emu: recorded {recording.Inputs.Count} input deliveries to {options.RecordPath} (replay: emu replay {options.RecordPath})");
    }

    /// <summary>
    /// board.resc must also run in Renode, which has no test finisher; without one the guest's `poweroff`
    /// could not end the session, so machines with nothing at QEMU virt's finisher address get the overlay.
    /// </summary>
    private void AddFinishers(Emulation emulation)
    {
        var near = options.Scripts.Count > 0 ? options.Scripts[0] : Path.Combine(Directory.GetCurrentDirectory(), "board.resc");
        var overlay = RunCommand.FindFinisherOverlay(near);
        if (overlay == null)
        {
            return;
        }
        foreach (var machine in emulation.Machines)
        {
            if (machine.Harts.Count == 0 || machine.TryGetByName("finisher", out _) || machine.SystemBus.FindRegistration(0x100000) != null)
            {
                continue;
            }
            Emulator.PlatformDescription.PlatformLoader.Load(machine, overlay);
            machine.Log.Debug("emu", $"added the test finisher at 0x100000 ({Path.GetFileName(overlay)}) so the guest can power off");
        }
    }

    private static void StartThread(ThreadStart body, string name) => new Thread(body) { IsBackground = true, Name = name }.Start();

    private static TextWriter OpenLogFile(string path)
    {
        try
        {
            return new StreamWriter(path, append: false, new UTF8Encoding(false)) { AutoFlush = true };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmulationException($"--log-file: cannot write {path}: {e.Message}");
        }
    }

    /// <summary>Runs the scripts and -e commands in command-line order; false (after printing the error) when one fails.</summary>
    private bool RunScriptsAndCommands()
    {
        try
        {
            foreach (var (isScript, text) in options.Steps)
            {
                if (isScript && !File.Exists(text))
                {
                    throw new MonitorException($"{text}: no such file");
                }
                Print(isScript ? monitor.ExecuteScript(Path.GetFullPath(text)) : monitor.Execute(text));
                if (!options.NoFinisher)
                {
                    // Right after the step that built the board, so later commands (RunFor) already have it.
                    AddFinishers(monitor.Emulation);
                }
                if (monitor.QuitRequested)
                {
                    return true;
                }
            }
            return true;
        }
        catch (MonitorException e)
        {
            errors.WriteLine($"emu: {e.Message}");
            return false;
        }
    }

    private void Print(string text)
    {
        if (text.Length > 0)
        {
            console.WriteText(text + "\n");
        }
    }

    private void ShowUart(IUART uart)
    {
        var isConsole = consoleUart == null;
        consoleUart ??= uart;
        uart.CharReceived += b =>
        {
            if (inMonitor && isConsole)
            {
                // Held while the user types in the monitor, shown when the guest console comes back.
                lock (pendingGuestOutput)
                {
                    if (pendingGuestOutput.Length < 1 << 20)
                    {
                        pendingGuestOutput.WriteByte(b);
                    }
                }
                return;
            }
            console.WriteGuest(new[] { b });
        };
    }

    // ---- line mode ----

    private void LineInputLoop()
    {
        var reader = new StreamReader(input, Encoding.UTF8);
        while (true)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (IOException)
            {
                line = null;
            }
            if (line == null)
            {
                // End of input: a running guest keeps running (until it exits or a signal); otherwise we are done.
                if (!monitor.Emulation.IsStarted)
                {
                    exit.TrySetResult(scriptsOk ? 0 : 1);
                }
                return;
            }
            RunMonitorLine(line);
            if (monitor.QuitRequested)
            {
                return;
            }
        }
    }

    private void ReplayMonitorCommand(string line)
    {
        try
        {
            monitor.Execute(line);
        }
        catch (MonitorException e)
        {
            // It failed the same way when it was typed; the replay goes on as that session did.
            log?.WriteLine($"emu replay: {line}: {e.Message}");
        }
    }

    private void RunMonitorLine(string line)
    {
        try
        {
            var text = monitor.ExecuteLive(line);
            if (text.Length > 0)
            {
                console.WriteText(text + "\n");
            }
        }
        catch (MonitorException e)
        {
            console.WriteText(e.Message + "\n");
        }
    }

    // ---- raw terminal ----

    private void RawInputLoop()
    {
        var buffer = new byte[256];
        var line = new StringBuilder();
        var afterCtrlA = false;
        var escape = 0;
        var historyIndex = 0;
        try
        {
            while (true)
            {
                var n = input.Read(buffer, 0, buffer.Length);
                if (n <= 0)
                {
                    exit.TrySetResult(0);
                    return;
                }
                for (var i = 0; i < n; i++)
                {
                    var b = buffer[i];
                    if (afterCtrlA)
                    {
                        afterCtrlA = false;
                        HandleEscapeKey(b, line);
                        continue;
                    }
                    if (b == CtrlA)
                    {
                        afterCtrlA = true;
                        continue;
                    }
                    if (!inMonitor)
                    {
                        consoleUart?.WriteChar(b);
                        continue;
                    }
                    if (escape > 0)
                    {
                        // ESC [ A / ESC [ B: walk the history.
                        if (escape == 1)
                        {
                            escape = b == (byte)'[' || b == (byte)'O' ? 2 : 0;
                            continue;
                        }
                        escape = 0;
                        if (b is (byte)'A' or (byte)'B' && history.Count > 0)
                        {
                            historyIndex = Math.Clamp(historyIndex + (b == (byte)'A' ? -1 : 1), 0, history.Count);
                            line.Clear();
                            if (historyIndex < history.Count)
                            {
                                line.Append(history[historyIndex]);
                            }
                            console.WriteText("\r\u001b[2K" + monitor.Prompt + line);
                        }
                        continue;
                    }
                    switch (b)
                    {
                        case 0x1B:
                            escape = 1;
                            break;
                        case (byte)'\r':
                        case (byte)'\n':
                            {
                                console.WriteText("\n");
                                var command = line.ToString();
                                line.Clear();
                                if (command.Trim().Length > 0)
                                {
                                    history.Add(command);
                                }
                                historyIndex = history.Count;
                                RunMonitorLine(command);
                                if (monitor.QuitRequested)
                                {
                                    return;
                                }
                                if (inMonitor)
                                {
                                    console.WriteText(monitor.Prompt);
                                }
                                break;
                            }
                        case 0x7F:
                        case 0x08:
                            if (line.Length > 0)
                            {
                                line.Length--;
                                console.WriteText("\b \b");
                            }
                            break;
                        case 0x03:
                        case 0x15:
                            line.Clear();
                            console.WriteText((b == 0x03 ? "^C" : "") + "\n" + monitor.Prompt);
                            break;
                        default:
                            if (b >= 0x20 && b < 0x7F)
                            {
                                line.Append((char)b);
                                console.WriteText(((char)b).ToString());
                            }
                            break;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            exit.TrySetResult(0);
        }
    }

    private void HandleEscapeKey(byte key, StringBuilder line)
    {
        switch (key)
        {
            case (byte)'c':
            case (byte)'C':
                if (inMonitor)
                {
                    if (consoleUart == null)
                    {
                        console.WriteText("\nno guest console: no UART was shown with showAnalyzer\n" + monitor.Prompt + line);
                        return;
                    }
                    inMonitor = false;
                    console.WriteText("\n[guest console]\n");
                    byte[] held;
                    lock (pendingGuestOutput)
                    {
                        held = pendingGuestOutput.ToArray();
                        pendingGuestOutput.SetLength(0);
                    }
                    console.WriteGuest(held);
                }
                else
                {
                    inMonitor = true;
                    console.WriteText("\n[monitor]\n" + monitor.Prompt + line);
                }
                break;
            case (byte)'x':
            case (byte)'X':
                exit.TrySetResult(0);
                break;
            case (byte)'h':
            case (byte)'H':
            case (byte)'?':
                console.WriteText("\nCtrl-A c  switch between the guest console and the monitor\nCtrl-A x  quit the emulator\n" +
                                  "Ctrl-A h  this help\nCtrl-A a  send Ctrl-A to the guest\n" + (inMonitor ? monitor.Prompt + line : ""));
                break;
            case CtrlA:
            case (byte)'a':
                if (!inMonitor)
                {
                    consoleUart?.WriteChar(CtrlA);
                }
                break;
        }
    }
}
