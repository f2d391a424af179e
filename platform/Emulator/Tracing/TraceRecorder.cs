using System.Globalization;
using System.Text;

namespace Emulator.Tracing;

/// <summary>
/// Records a machine's timeline in the Chrome Trace Event format that Perfetto (ui.perfetto.dev) and
/// chrome://tracing open (docs/tracing.md): one track per hart, traps and interrupts as instants, WFI as
/// idle spans, IPIs as flow arrows from the sending hart to the receiving one, and what the guest announces
/// through the trace device (thread names and switches, token requests and hand-overs). Timestamps are
/// virtual time. The number of events is bounded: at the limit recording stops with a marker event and a
/// warning in the log, and <see cref="Stop"/> says so. Nothing is recorded, and nothing costs, while no
/// recorder is attached to the machine.
/// </summary>
public sealed class TraceRecorder
{
    public const int DefaultMaxEvents = 1_000_000;

    private readonly Machine machine;
    private readonly List<string> events = new();
    private readonly Dictionary<int, List<long>> pendingIpis = new();
    private readonly Dictionary<int, (ulong Start, string Name)> runningThread = new();
    private readonly Dictionary<int, ulong> sleepingSince = new();
    private readonly Dictionary<ulong, List<long>> pendingHandOvers = new();
    private readonly HashSet<int> namedTracks = new();
    private long nextFlowId = 1;

    internal TraceRecorder(Machine machine, string path, int maxEvents)
    {
        if (maxEvents < 1)
        {
            throw new Core.EmulationException("the trace limit must be at least one event");
        }
        this.machine = machine;
        Path = path;
        MaxEvents = maxEvents;
    }

    public string Path { get; }

    public int MaxEvents { get; }

    public int EventCount => events.Count;

    /// <summary>True once the limit was reached; later events were dropped.</summary>
    public bool LimitReached { get; private set; }

    private double NowMicroseconds => machine.Clock.Now / 1000.0;

    private static string Us(double microseconds) => microseconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Json(string text)
    {
        var s = new StringBuilder(text.Length + 2);
        s.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': s.Append("\\\""); break;
                case '\\': s.Append("\\\\"); break;
                default:
                    if (c < 0x20) s.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    else s.Append(c);
                    break;
            }
        }
        return s.Append('"').ToString();
    }

    private bool Add(string json)
    {
        if (LimitReached)
        {
            return false;
        }
        if (events.Count >= MaxEvents - 1)
        {
            LimitReached = true;
            events.Add($"{{\"name\":\"trace limit of {MaxEvents} events reached\",\"cat\":\"trace\",\"ph\":\"i\",\"s\":\"g\",\"pid\":0,\"tid\":0,\"ts\":{Us(NowMicroseconds)}}}");
            machine.Log.Warning("trace", $"the trace reached its limit of {MaxEvents} events at {machine.Clock.Now / 1e9:0.######} s virtual time; later events are not recorded (raise the limit: --trace-limit N, machine StartTrace @file N)");
            return false;
        }
        events.Add(json);
        return true;
    }

    private void NameTrack(int hart)
    {
        if (namedTracks.Add(hart))
        {
            // Metadata is exempt from the limit: a track without a name would be unreadable.
            events.Add($"{{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":0,\"tid\":{hart},\"args\":{{\"name\":\"cpu{hart}\"}}}}");
            events.Add($"{{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":0,\"tid\":{hart},\"args\":{{\"sort_index\":{hart}}}}}");
        }
    }

    private void Slice(int hart, string name, string category, double start, double duration, string? args = null)
    {
        NameTrack(hart);
        Add($"{{\"name\":{Json(name)},\"cat\":\"{category}\",\"ph\":\"X\",\"pid\":0,\"tid\":{hart},\"ts\":{Us(start)},\"dur\":{Us(duration)}{(args == null ? "" : ",\"args\":" + args)}}}");
    }

    private void Flow(int hart, string phase, long id, string category, double at)
    {
        var binding = phase == "f" ? ",\"bp\":\"e\"" : "";
        Add($"{{\"name\":\"{category}\",\"cat\":\"{category}\",\"ph\":\"{phase}\",\"id\":{id},\"pid\":0,\"tid\":{hart},\"ts\":{Us(at)}{binding}}}");
    }

    internal void Trap(int hart, ulong cause, bool isInterrupt, ulong pc, ulong tval)
    {
        NameTrack(hart);
        var now = NowMicroseconds;
        if (isInterrupt && cause is 1 or 3 && pendingIpis.Remove(hart, out var ids))
        {
            // The receiving end of every IPI raised since this hart last took one: a short slice to bind to.
            Slice(hart, "IPI taken", "ipi", now, 0.01);
            foreach (var id in ids)
            {
                Flow(hart, "f", id, "ipi", now);
            }
            return;
        }
        var name = isInterrupt ? $"interrupt {InterruptName(cause)}" : $"trap: {ExceptionName(cause)}";
        Add($"{{\"name\":{Json(name)},\"cat\":\"{(isInterrupt ? "interrupt" : "trap")}\",\"ph\":\"i\",\"s\":\"t\",\"pid\":0,\"tid\":{hart},\"ts\":{Us(now)},\"args\":{{\"cause\":{cause},\"pc\":\"0x{pc:X}\",\"tval\":\"0x{tval:X}\"}}}}");
    }

    /// <summary>A software-interrupt line of <paramref name="target"/> was raised while <paramref name="sender"/> ran.</summary>
    internal void IpiRaised(int sender, int target)
    {
        var now = NowMicroseconds;
        var id = nextFlowId++;
        Slice(sender, $"IPI to cpu{target}", "ipi", now, 0.01);
        Flow(sender, "s", id, "ipi", now);
        if (!pendingIpis.TryGetValue(target, out var list))
        {
            pendingIpis[target] = list = new List<long>();
        }
        list.Add(id);
    }

    internal void WaitStarted(int hart) => sleepingSince[hart] = machine.Clock.Now;

    internal void WaitEnded(int hart)
    {
        if (sleepingSince.Remove(hart, out var since))
        {
            Slice(hart, "idle (WFI)", "wfi", since / 1000.0, (machine.Clock.Now - since) / 1000.0);
        }
    }

    /// <summary>The guest switched <paramref name="hart"/> to the thread called <paramref name="name"/>.</summary>
    public void ThreadSwitch(int hart, string name)
    {
        var now = machine.Clock.Now;
        CloseThread(hart, now);
        runningThread[hart] = (now, name);
    }

    private void CloseThread(int hart, ulong now)
    {
        if (runningThread.Remove(hart, out var running) && now > running.Start)
        {
            Slice(hart, running.Name, "thread", running.Start / 1000.0, (now - running.Start) / 1000.0);
        }
    }

    /// <summary>The guest on <paramref name="hart"/> asked for token <paramref name="token"/>, owned by another cpu.</summary>
    public void TokenRequest(int hart, ulong token, int owner)
    {
        NameTrack(hart);
        Add($"{{\"name\":\"token request\",\"cat\":\"token\",\"ph\":\"i\",\"s\":\"t\",\"pid\":0,\"tid\":{hart},\"ts\":{Us(NowMicroseconds)},\"args\":{{\"token\":\"0x{token:X}\",\"owner\":\"cpu{owner}\"}}}}");
    }

    /// <summary>The guest on <paramref name="hart"/> handed token <paramref name="token"/> to cpu <paramref name="target"/>.</summary>
    public void TokenHandOver(int hart, ulong token, int target)
    {
        var now = NowMicroseconds;
        var id = nextFlowId++;
        Slice(hart, $"token 0x{token:X} to cpu{target}", "token", now, 0.01);
        Flow(hart, "s", id, "token", now);
        if (!pendingHandOvers.TryGetValue(token, out var list))
        {
            pendingHandOvers[token] = list = new List<long>();
        }
        list.Add(id);
    }

    /// <summary>The guest on <paramref name="hart"/> now owns token <paramref name="token"/>: ends its hand-over arrows.</summary>
    public void TokenReceived(int hart, ulong token)
    {
        if (!pendingHandOvers.Remove(token, out var ids))
        {
            return;
        }
        var now = NowMicroseconds;
        Slice(hart, $"token 0x{token:X} received", "token", now, 0.01);
        foreach (var id in ids)
        {
            Flow(hart, "f", id, "token", now);
        }
    }

    /// <summary>Closes open spans and writes the JSON file. Returns a one-line summary for the user.</summary>
    internal string Write()
    {
        var now = machine.Clock.Now;
        foreach (var hart in runningThread.Keys.ToList())
        {
            CloseThread(hart, now);
        }
        foreach (var hart in sleepingSince.Keys.ToList())
        {
            WaitEnded(hart);
        }
        using (var writer = new StreamWriter(Path, false, new UTF8Encoding(false)))
        {
            writer.Write("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"source\":\"emu\",\"clock\":\"virtual time\"},\"traceEvents\":[\n");
            for (var i = 0; i < events.Count; i++)
            {
                writer.Write(events[i]);
                writer.Write(i + 1 < events.Count ? ",\n" : "\n");
            }
            writer.Write("]}\n");
        }
        return LimitReached
            ? $"trace: wrote {events.Count} events to {Path}; recording stopped at the limit of {MaxEvents} events, later events are missing"
            : $"trace: wrote {events.Count} events to {Path}";
    }

    private static string InterruptName(ulong cause) => cause switch
    {
        1 => "SSI", 3 => "MSI", 5 => "STI", 7 => "MTI (timer)", 9 => "SEI", 11 => "MEI (external)", _ => cause.ToString(CultureInfo.InvariantCulture),
    };

    private static string ExceptionName(ulong cause) => cause switch
    {
        0 => "instruction misaligned", 1 => "instruction access fault", 2 => "illegal instruction", 3 => "breakpoint",
        4 => "load misaligned", 5 => "load access fault", 6 => "store misaligned", 7 => "store access fault",
        8 => "ecall from U", 9 => "ecall from S", 11 => "ecall from M", 12 => "instruction page fault",
        13 => "load page fault", 15 => "store page fault", _ => $"cause {cause}",
    };
}
