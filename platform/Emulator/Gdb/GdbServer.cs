using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Emulator.Core;
using Emulator.Peripherals.CPU;

namespace Emulator.Gdb;

/// <summary>
/// GDB's remote serial protocol over TCP on 127.0.0.1 (`machine StartGdbServer 3333`), all-stop mode, one
/// thread per hart (thread id = hart index + 1). While GDB holds the machine stopped the emulation is paused;
/// `c` runs it on the Emulation runner until a hart stops at a breakpoint or watchpoint, the guest exits,
/// or GDB sends Ctrl-C. A malformed or unknown packet gets an error or empty reply, never an exception:
/// one bad client cannot bring the emulator down. One client at a time; another is turned away.
/// </summary>
public sealed class GdbServer : IDisposable
{
    private const int PacketSize = 0x4000;
    private readonly Emulation emulation;
    private readonly Machine machine;
    private readonly TcpListener listener;
    private readonly Thread acceptThread;
    private readonly HashSet<(char Type, ulong Address, ulong Length)> insertedPoints = new();
    private readonly List<RiscV64> heldHarts = new();
    private volatile bool disposed;
    private TcpClient? client;
    private BlockingCollection<Event>? events;
    private bool noAck;
    private int generalThread;
    private int controlThread = -1;
    private string lastStop = "S05";
    private string? targetXml;
    private bool killed;

    public GdbServer(Emulation emulation, Machine machine, int port)
    {
        this.emulation = emulation;
        this.machine = machine;
        if (machine.Harts.Count == 0)
        {
            throw new EmulationException($"{machine.Name} has no CPU to debug");
        }
        listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new EmulationException($"GDB server: cannot listen on port {port}: {e.Message}");
        }
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        emulation.MachineStopped += OnMachineStopped;
        acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = $"gdb {machine.Name}" };
        acceptThread.Start();
    }

    /// <summary>The port listened on (useful when 0 was asked for).</summary>
    public int Port { get; }

    /// <summary>When true, the emulation starts again when GDB detaches (Renode's behaviour).</summary>
    public bool ResumeOnDetach { get; set; } = true;

    public bool HasClient => client != null;

    /// <summary>Runs GDB's `monitor CMD` (qRcmd); returns the text to show, or throws with the error to show.</summary>
    public Func<string, string>? MonitorCommandHandler { get; set; }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        emulation.MachineStopped -= OnMachineStopped;
        listener.Stop();
        client?.Close();
        acceptThread.Join(2000);
    }

    private enum EventKind
    {
        Packet,
        Interrupt,
        Stopped,
        Disconnected,
    }

    private sealed record Event(EventKind Kind, string Payload = "", StopReason Reason = StopReason.None);

    private void OnMachineStopped(Machine m, StopReason reason)
    {
        if (m == machine)
        {
            Post(events, new Event(EventKind.Stopped, Reason: reason));
        }
    }

    private void AcceptLoop()
    {
        Terminals.TcpAcceptLoop.Run(listener, () => disposed, accepted =>
        {
            accepted.NoDelay = true;
            if (Interlocked.CompareExchange(ref client, accepted, null) != null)
            {
                // A second debugger would fight the first over the machine: turn it away.
                try
                {
                    accepted.GetStream().Write(Encoding.ASCII.GetBytes(Frame("E01")));
                }
                catch (Exception e) when (e is IOException or SocketException)
                {
                }
                accepted.Close();
                return;
            }
            new Thread(() => Serve(accepted)) { IsBackground = true, Name = $"gdb {machine.Name} session" }.Start();
        });
    }

    private void Serve(TcpClient c)
    {
        var queue = new BlockingCollection<Event>(new ConcurrentQueue<Event>());
        events = queue;
        noAck = false;
        killed = false;
        generalThread = 0;
        controlThread = -1;
        var stream = c.GetStream();
        var reader = new Thread(() => ReadLoop(stream, queue)) { IsBackground = true, Name = $"gdb {machine.Name} reader" };
        try
        {
            // GDB expects a stopped target when it attaches.
            emulation.Pause();
            lastStop = StopReply(0);
            reader.Start();
            var running = false;
            foreach (var e in queue.GetConsumingEnumerable())
            {
                if (e.Kind == EventKind.Disconnected || disposed)
                {
                    break;
                }
                if (e.Kind == EventKind.Interrupt)
                {
                    if (running)
                    {
                        emulation.Pause();
                        running = false;
                        ReleaseHeldHarts();
                        lastStop = StopReply(CurrentHartIndex(), signal: 2);
                        Send(stream, lastStop);
                    }
                    continue;
                }
                if (e.Kind == EventKind.Stopped)
                {
                    if (running)
                    {
                        running = false;
                        emulation.Pause();
                        ReleaseHeldHarts();
                        lastStop = DescribeStop(e.Reason);
                        Send(stream, lastStop);
                    }
                    continue;
                }
                if (running)
                {
                    // Only Ctrl-C is meaningful while the target runs; GDB sends nothing else then.
                    continue;
                }
                string? reply;
                try
                {
                    reply = Handle(e.Payload, ref running, out var close);
                    if (close)
                    {
                        if (reply != null)
                        {
                            Send(stream, reply);
                        }
                        break;
                    }
                }
                catch (Exception ex) when (ex is not (IOException or SocketException or ObjectDisposedException))
                {
                    // Whatever a packet does wrong, the debugger gets an error and the emulator lives on.
                    machine.Log.Debug("gdb", $"packet '{Truncate(e.Payload)}' failed: {ex.Message}");
                    reply = "E01";
                }
                if (reply != null)
                {
                    Send(stream, reply);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            events = null;
            queue.CompleteAdding();
            CleanUpAfterClient();
            c.Close();
            Interlocked.Exchange(ref client, null);
        }
    }

    /// <summary>Harts kept still during a single-thread continue go back to normal once the machine stops.</summary>
    private void ReleaseHeldHarts()
    {
        foreach (var hart in heldHarts)
        {
            hart.IsHalted = false;
        }
        heldHarts.Clear();
    }

    private void CleanUpAfterClient()
    {
        emulation.Pause();
        ReleaseHeldHarts();
        foreach (var (type, address, length) in insertedPoints)
        {
            foreach (var hart in machine.Harts)
            {
                if (type is '0' or '1')
                {
                    hart.RemoveBreakpoint(address);
                }
                else
                {
                    hart.RemoveWatchpoint(address, length, WatchKind(type));
                }
            }
        }
        insertedPoints.Clear();
        foreach (var hart in machine.Harts)
        {
            if (hart.IsHalted)
            {
                hart.Resume();
            }
        }
        if (ResumeOnDetach && !killed && !disposed && !machine.HasExited)
        {
            emulation.Start();
        }
    }

    private void ReadLoop(NetworkStream stream, BlockingCollection<Event> queue)
    {
        var buffer = new byte[4096];
        var packet = new StringBuilder();
        var state = 0; // 0 idle, 1 payload, 2 first checksum digit, 3 second
        var checksumText = new char[2];
        try
        {
            while (true)
            {
                var n = stream.Read(buffer, 0, buffer.Length);
                if (n <= 0)
                {
                    break;
                }
                for (var i = 0; i < n; i++)
                {
                    var b = buffer[i];
                    switch (state)
                    {
                        case 0:
                            if (b == 0x03)
                            {
                                Post(queue, new Event(EventKind.Interrupt));
                            }
                            else if (b == (byte)'$')
                            {
                                packet.Clear();
                                state = 1;
                            }
                            break; // '+', '-' and noise between packets are ignored
                        case 1:
                            if (b == (byte)'#')
                            {
                                state = 2;
                            }
                            else if (packet.Length > PacketSize * 2)
                            {
                                state = 0; // runaway packet: drop it and resynchronise on the next '$'
                            }
                            else
                            {
                                packet.Append((char)b);
                            }
                            break;
                        case 2:
                            checksumText[0] = (char)b;
                            state = 3;
                            break;
                        default:
                            checksumText[1] = (char)b;
                            state = 0;
                            var payload = packet.ToString();
                            var ok = byte.TryParse(checksumText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var sum) && sum == Checksum(payload);
                            if (!noAck)
                            {
                                lock (stream)
                                {
                                    stream.WriteByte(ok ? (byte)'+' : (byte)'-');
                                }
                            }
                            if (ok)
                            {
                                Post(queue, new Event(EventKind.Packet, payload));
                            }
                            break;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        Post(queue, new Event(EventKind.Disconnected));
    }

    /// <summary>Queues an event unless the session is over (adding to a completed queue would throw).</summary>
    private static void Post(BlockingCollection<Event>? queue, Event e)
    {
        if (queue == null)
        {
            return;
        }
        try
        {
            queue.TryAdd(e);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static byte Checksum(string payload)
    {
        var sum = 0;
        foreach (var ch in payload)
        {
            sum += (byte)ch;
        }
        return (byte)sum;
    }

    private static string Frame(string payload) => $"${payload}#{Checksum(payload):x2}";

    private static void Send(NetworkStream stream, string payload)
    {
        var bytes = Encoding.Latin1.GetBytes(Frame(payload));
        lock (stream)
        {
            stream.Write(bytes);
        }
    }

    // ---- packets ----

    private string? Handle(string p, ref bool running, out bool close)
    {
        close = false;
        if (p.Length == 0)
        {
            return "";
        }
        switch (p[0])
        {
            case '?':
                return lastStop;
            case 'g':
                return ReadAllRegisters(SelectedHart(generalThread));
            case 'G':
                if (p.Length < 17 || (p.Length - 1) % 16 != 0)
                {
                    return "E01";
                }
                WriteAllRegisters(SelectedHart(generalThread), p.Substring(1));
                return "OK";
            case 'p':
                return ReadRegister(SelectedHart(generalThread), ParseHex(p.Substring(1)));
            case 'P':
                {
                    var eq = p.IndexOf('=');
                    if (eq < 0)
                    {
                        return "E01";
                    }
                    return WriteRegister(SelectedHart(generalThread), ParseHex(p.Substring(1, eq - 1)), p.Substring(eq + 1)) ? "OK" : "E01";
                }
            case 'm':
                return ReadMemory(p.Substring(1));
            case 'M':
                return WriteMemory(p.Substring(1), binary: false);
            case 'X':
                return WriteMemory(p.Substring(1), binary: true);
            case 'H':
                return SetThread(p);
            case 'T':
                return TryThreadIndex(p.Substring(1), out _) ? "OK" : "E01";
            case 'c':
            case 'C':
                Continue(p[0] == 'c' ? p.Substring(1) : AddressAfterSignal(p), ref running);
                return null;
            case 's':
            case 'S':
                return StepThread(StepTarget(-1), p[0] == 's' ? p.Substring(1) : AddressAfterSignal(p));
            case 'Z':
            case 'z':
                return SetPoint(p[0] == 'Z', p.Substring(1));
            case 'D':
                close = true;
                return "OK";
            case 'k':
                close = true;
                killed = true;
                return null;
            case 'v':
                return HandleV(p, ref running);
            case 'q':
            case 'Q':
                return HandleQuery(p);
            default:
                return "";
        }
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "...";

    private static string AddressAfterSignal(string p)
    {
        var semi = p.IndexOf(';');
        return semi < 0 ? "" : p.Substring(semi + 1);
    }

    private string? HandleV(string p, ref bool running)
    {
        if (p == "vCont?")
        {
            return "vCont;c;C;s;S;t";
        }
        if (p.StartsWith("vCont;", StringComparison.Ordinal))
        {
            int? stepThread = null;
            var anyContinue = false;
            var continueAll = false;
            var continueOnly = new HashSet<int>();
            foreach (var action in p.Substring(6).Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var colon = action.IndexOf(':');
                var verb = colon < 0 ? action : action.Substring(0, colon);
                var thread = colon < 0 ? -1 : ParseThreadId(action.Substring(colon + 1));
                switch (verb[0])
                {
                    case 's':
                    case 'S':
                        stepThread ??= thread;
                        break;
                    case 'c':
                    case 'C':
                        anyContinue = true;
                        if (thread <= 0)
                        {
                            continueAll = true;
                        }
                        else
                        {
                            continueOnly.Add(thread - 1);
                        }
                        break;
                    case 't':
                        break;
                    default:
                        return "E01";
                }
            }
            if (stepThread != null)
            {
                // All-stop: GDB steps one thread and keeps the others where they are.
                return StepThread(StepTarget(stepThread.Value), "");
            }
            if (anyContinue && !continueAll && continueOnly.Count == 1 && TryStopAfterFirstInstruction(continueOnly.First()) is { } stop)
            {
                return stop;
            }
            if (anyContinue)
            {
                // `vCont;c:2` runs hart 1 alone (GDB steps RISC-V in software: a breakpoint after the
                // instruction, then a continue of that one thread); the others must not move meanwhile.
                Continue("", ref running, continueAll ? null : continueOnly);
                return null;
            }
            return "E01";
        }
        if (p.StartsWith("vKill", StringComparison.Ordinal))
        {
            return "OK";
        }
        // vMustReplyEmpty and everything we do not implement.
        return "";
    }

    private string HandleQuery(string p)
    {
        if (p.StartsWith("qSupported", StringComparison.Ordinal))
        {
            return $"PacketSize={PacketSize:x};qXfer:features:read+;QStartNoAckMode+;vContSupported+";
        }
        if (p == "QStartNoAckMode")
        {
            noAck = true;
            return "OK";
        }
        if (p == "qAttached" || p.StartsWith("qAttached:", StringComparison.Ordinal))
        {
            return "1";
        }
        if (p == "qC")
        {
            return $"QC{generalThread + 1:x}";
        }
        if (p == "qfThreadInfo")
        {
            return "m" + string.Join(",", Enumerable.Range(1, machine.Harts.Count).Select(i => i.ToString("x", CultureInfo.InvariantCulture)));
        }
        if (p == "qsThreadInfo")
        {
            return "l";
        }
        if (p.StartsWith("qThreadExtraInfo,", StringComparison.Ordinal))
        {
            if (!TryThreadIndex(p.Substring(17), out var index))
            {
                return "E01";
            }
            var hart = machine.Harts[index];
            var state = hart.IsHalted ? "halted" : hart.IsWaitingForInterrupt ? "wfi" : "stopped";
            return Convert.ToHexString(Encoding.ASCII.GetBytes($"{machine.GetName(hart)} hart {hart.HartId} {state}")).ToLowerInvariant();
        }
        if (p.StartsWith("qXfer:features:read:target.xml:", StringComparison.Ordinal))
        {
            targetXml ??= GdbTargetDescription.Build(machine.Harts[0]);
            var range = p.Substring(31).Split(',');
            if (range.Length != 2)
            {
                return "E01";
            }
            var offset = ParseHex(range[0]);
            var length = ParseHex(range[1]);
            if (offset >= (ulong)targetXml.Length)
            {
                return "l";
            }
            var chunk = targetXml.Substring((int)offset, (int)Math.Min(length, (ulong)targetXml.Length - offset));
            return (offset + (ulong)chunk.Length >= (ulong)targetXml.Length ? "l" : "m") + EscapeBinary(chunk);
        }
        if (p.StartsWith("qXfer:", StringComparison.Ordinal))
        {
            return "E00";
        }
        if (p == "qOffsets")
        {
            return "Text=0;Data=0;Bss=0";
        }
        if (p.StartsWith("qSymbol", StringComparison.Ordinal))
        {
            return "OK";
        }
        if (p.StartsWith("qRcmd,", StringComparison.Ordinal))
        {
            return RunMonitorCommand(p.Substring(6));
        }
        return "";
    }

    private string RunMonitorCommand(string hexCommand)
    {
        var handler = MonitorCommandHandler;
        if (handler == null)
        {
            return "";
        }
        var command = Encoding.UTF8.GetString(Convert.FromHexString(hexCommand));
        string text;
        try
        {
            text = handler(command);
        }
        catch (EmulationException e)
        {
            text = e.Message;
        }
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            text += "\n";
        }
        // Console output goes in an `O` packet before the final OK.
        var stream = client?.GetStream();
        if (stream != null && text.Length > 0)
        {
            Send(stream, "O" + Convert.ToHexString(Encoding.UTF8.GetBytes(text)).ToLowerInvariant());
        }
        return "OK";
    }

    private static string EscapeBinary(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            if (ch is '#' or '$' or '}' or '*')
            {
                escaped.Append('}').Append((char)(ch ^ 0x20));
            }
            else
            {
                escaped.Append(ch);
            }
        }
        return escaped.ToString();
    }

    private string SetThread(string p)
    {
        if (p.Length < 3)
        {
            return "E01";
        }
        var id = ParseThreadId(p.Substring(2));
        if (id > 0 && id > machine.Harts.Count)
        {
            return "E01";
        }
        if (p[1] == 'g')
        {
            generalThread = id <= 0 ? generalThread : id - 1;
        }
        else if (p[1] == 'c')
        {
            controlThread = id <= 0 ? -1 : id - 1;
        }
        else
        {
            return "E01";
        }
        return "OK";
    }

    /// <summary>Thread ids: "-1" all, "0" any, else hex hart index + 1; "p1.2" multiprocess form too.</summary>
    private static int ParseThreadId(string text)
    {
        var dot = text.IndexOf('.');
        if (text.StartsWith('p') && dot > 0)
        {
            text = text.Substring(dot + 1);
        }
        if (text == "-1")
        {
            return -1;
        }
        return int.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    private bool TryThreadIndex(string text, out int index)
    {
        index = -1;
        try
        {
            var id = ParseThreadId(text);
            index = id - 1;
            return id >= 1 && id <= machine.Harts.Count;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private RiscV64 SelectedHart(int index) => machine.Harts[Math.Clamp(index, 0, machine.Harts.Count - 1)];

    private int StepTarget(int threadId) =>
        threadId > 0 ? threadId - 1 : controlThread >= 0 ? controlThread : generalThread;

    private int CurrentHartIndex() => generalThread;

    private string StopReply(int hartIndex, int signal = 5, string extra = "") =>
        $"T{signal:x2}{extra}thread:{hartIndex + 1:x};";

    private string DescribeStop(StopReason reason)
    {
        if (reason == StopReason.GuestExit)
        {
            return $"W{(byte)machine.ExitCode:x2}";
        }
        if (reason == StopReason.Breakpoint && machine.HaltedHart is { } hart)
        {
            var index = IndexOf(hart);
            generalThread = index;
            if (hart.LastHalt is { IsWatchpoint: true } halt)
            {
                var kind = halt.Kind switch
                {
                    WatchpointKind.Read => "rwatch",
                    WatchpointKind.Access => "awatch",
                    _ => "watch",
                };
                return StopReply(index, extra: $"{kind}:{halt.Address:x};");
            }
            return StopReply(index);
        }
        return StopReply(generalThread);
    }

    private int IndexOf(RiscV64 hart)
    {
        for (var i = 0; i < machine.Harts.Count; i++)
        {
            if (ReferenceEquals(machine.Harts[i], hart))
            {
                return i;
            }
        }
        return 0;
    }

    private void Continue(string address, ref bool running, HashSet<int>? onlyThese = null)
    {
        if (address.Length > 0)
        {
            SelectedHart(StepTarget(-1)).PC = ParseHex(address);
        }
        if (machine.HasExited)
        {
            // Nothing left to run: report the exit again instead of hanging.
            Post(events, new Event(EventKind.Stopped, Reason: StopReason.GuestExit));
            running = true;
            return;
        }
        for (var i = 0; i < machine.Harts.Count; i++)
        {
            var hart = machine.Harts[i];
            if (onlyThese != null && !onlyThese.Contains(i))
            {
                if (!hart.IsHalted)
                {
                    hart.IsHalted = true;
                    heldHarts.Add(hart);
                }
                continue;
            }
            if (hart.IsHalted)
            {
                hart.Resume();
            }
        }
        running = true;
        // Pause first: a runner that just reported our stop may still be winding down, and Start would be a no-op.
        emulation.Pause();
        emulation.Start();
    }

    /// <summary>
    /// GDB steps RISC-V in software: a breakpoint after the instruction, then a continue of that one thread.
    /// An instruction that traps never reaches that breakpoint, and a hart looping in its trap handler would
    /// never stop. So the thread's first instruction is executed here: if it trapped (or lands on a
    /// breakpoint) the hart stops at once, at the handler's first instruction, as on QEMU; otherwise the
    /// continue goes on from there. Null when the continue should go on.
    /// </summary>
    private string? TryStopAfterFirstInstruction(int index)
    {
        if (index < 0 || index >= machine.Harts.Count)
        {
            return null;
        }
        var hart = machine.Harts[index];
        var traps = hart.Statistics.Traps;
        if (hart.Step(1) == 0)
        {
            return null;
        }
        if (machine.HasExited)
        {
            lastStop = $"W{(byte)machine.ExitCode:x2}";
            return lastStop;
        }
        if (hart.Statistics.Traps == traps && !hart.Breakpoints.Contains(hart.PC))
        {
            return null;
        }
        generalThread = index;
        lastStop = StopReply(index);
        return lastStop;
    }

    private string StepThread(int index, string address)
    {
        var hart = SelectedHart(index);
        if (address.Length > 0)
        {
            hart.PC = ParseHex(address);
        }
        hart.Step(1);
        generalThread = index;
        if (machine.HasExited)
        {
            lastStop = $"W{(byte)machine.ExitCode:x2}";
            return lastStop;
        }
        lastStop = StopReply(index);
        return lastStop;
    }

    private string SetPoint(bool insert, string args)
    {
        var parts = args.Split(',');
        if (parts.Length < 3 || parts[0].Length != 1 || parts[0][0] is < '0' or > '4')
        {
            return "E01";
        }
        var type = parts[0][0];
        var address = ParseHex(parts[1]);
        var kindEnd = parts[2].IndexOf(';');
        var length = ParseHex(kindEnd < 0 ? parts[2] : parts[2].Substring(0, kindEnd));
        if (type is '0' or '1')
        {
            length = 0;
        }
        else if (length == 0)
        {
            return "E01";
        }
        var key = (type, address, length);
        foreach (var hart in machine.Harts)
        {
            if (type is '0' or '1')
            {
                if (insert)
                {
                    hart.AddBreakpoint(address);
                }
                else
                {
                    hart.RemoveBreakpoint(address);
                }
            }
            else if (insert)
            {
                if (!insertedPoints.Contains(key))
                {
                    hart.AddWatchpoint(address, length, WatchKind(type));
                }
            }
            else
            {
                hart.RemoveWatchpoint(address, length, WatchKind(type));
            }
        }
        if (insert)
        {
            insertedPoints.Add(key);
        }
        else
        {
            insertedPoints.Remove(key);
        }
        return "OK";
    }

    private static WatchpointKind WatchKind(char type) => type switch
    {
        '2' => WatchpointKind.Write,
        '3' => WatchpointKind.Read,
        _ => WatchpointKind.Access,
    };

    // ---- registers and memory ----

    private static string Hex64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return Convert.ToHexString(bytes).ToLowerInvariant();
    }

    private static ulong ParseLittleEndian64(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        if (bytes.Length != 8)
        {
            throw new FormatException("a register value has 16 hex digits");
        }
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    private static string ReadAllRegisters(RiscV64 hart)
    {
        var text = new StringBuilder(33 * 16);
        for (var i = 0; i < 32; i++)
        {
            text.Append(Hex64(hart.GetRegister(i)));
        }
        text.Append(Hex64(hart.PC));
        return text.ToString();
    }

    private static void WriteAllRegisters(RiscV64 hart, string hex)
    {
        var count = Math.Min(33, hex.Length / 16);
        for (var i = 0; i < count; i++)
        {
            var value = ParseLittleEndian64(hex.Substring(i * 16, 16));
            if (i == 32)
            {
                hart.PC = value;
            }
            else
            {
                hart.SetRegister(i, value);
            }
        }
    }

    private static string ReadRegister(RiscV64 hart, ulong number)
    {
        if (number < 32)
        {
            return Hex64(hart.GetRegister((int)number));
        }
        if (number == GdbTargetDescription.PcRegister)
        {
            return Hex64(hart.PC);
        }
        if (number >= GdbTargetDescription.FirstCsrRegister && number < GdbTargetDescription.FirstCsrRegister + 4096
            && hart.TryReadCsrForDebugger((int)number - GdbTargetDescription.FirstCsrRegister, out var csr))
        {
            return Hex64(csr);
        }
        if (number == GdbTargetDescription.FirstCsrRegister + 4096)
        {
            return Hex64((ulong)hart.Privilege);
        }
        // Unavailable register: GDB shows "<unavailable>" instead of failing the whole command.
        return "xxxxxxxxxxxxxxxx";
    }

    private static bool WriteRegister(RiscV64 hart, ulong number, string hex)
    {
        var value = ParseLittleEndian64(hex);
        if (number < 32)
        {
            hart.SetRegister((int)number, value);
            return true;
        }
        if (number == GdbTargetDescription.PcRegister)
        {
            hart.PC = value;
            return true;
        }
        if (number >= GdbTargetDescription.FirstCsrRegister && number < GdbTargetDescription.FirstCsrRegister + 4096)
        {
            return hart.TryWriteCsrForDebugger((int)number - GdbTargetDescription.FirstCsrRegister, value);
        }
        return false;
    }

    private string ReadMemory(string args)
    {
        var comma = args.IndexOf(',');
        if (comma < 0)
        {
            return "E01";
        }
        var address = ParseHex(args.Substring(0, comma));
        var length = ParseHex(args.Substring(comma + 1));
        if (length > PacketSize / 2)
        {
            length = PacketSize / 2;
        }
        var data = new byte[length];
        if (length == 0)
        {
            return "";
        }
        // GDB probes memory freely while unwinding (below the stack, at address 0): answer unmapped ranges
        // with an error without going through the bus, which would log a warning for every probe.
        var registration = machine.SystemBus.FindRegistration(address);
        if (registration == null || address + length > registration.End)
        {
            return "E14";
        }
        if (machine.SystemBus.ReadBytes(address, data))
        {
            return Convert.ToHexString(data).ToLowerInvariant();
        }
        // Partly mapped: return what can be read from the start, as GDB allows.
        var readable = 0;
        while (readable < data.Length && machine.SystemBus.IsRam(address + (ulong)readable, 1))
        {
            readable++;
        }
        return readable == 0 ? "E14" : Convert.ToHexString(data, 0, readable).ToLowerInvariant();
    }

    private string WriteMemory(string args, bool binary)
    {
        var comma = args.IndexOf(',');
        var colon = args.IndexOf(':');
        if (comma < 0 || colon < comma)
        {
            return "E01";
        }
        var address = ParseHex(args.Substring(0, comma));
        var length = ParseHex(args.Substring(comma + 1, colon - comma - 1));
        var body = args.Substring(colon + 1);
        byte[] data;
        if (binary)
        {
            var bytes = new List<byte>(body.Length);
            for (var i = 0; i < body.Length; i++)
            {
                var ch = body[i];
                bytes.Add(ch == '}' && i + 1 < body.Length ? (byte)(body[++i] ^ 0x20) : (byte)ch);
            }
            data = bytes.ToArray();
        }
        else
        {
            data = Convert.FromHexString(body);
        }
        if ((ulong)data.Length != length)
        {
            return "E01";
        }
        if (data.Length == 0)
        {
            return "OK";
        }
        if (machine.SystemBus.WriteBytes(address, data))
        {
            return "OK";
        }
        for (var i = 0; i < data.Length; i++)
        {
            if (!machine.SystemBus.TryWrite(address + (ulong)i, 1, data[i]))
            {
                return "E14";
            }
        }
        return "OK";
    }

    private static ulong ParseHex(string text)
    {
        if (text.Length == 0 || text.Length > 16)
        {
            throw new FormatException("bad hex number");
        }
        return ulong.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }
}
