using System.Collections.Concurrent;
using Emulator.Core;

namespace Emulator.Terminals;

/// <summary>
/// The one way host bytes (Robot testers, socket terminals, the interactive console, --uart-input) enter a
/// machine. <see cref="Send"/> only queues them, from any thread; the machine hands them to their devices at
/// the next slice boundary, on its own thread (<see cref="DeliverDue"/>). The guest therefore sees input at a
/// virtual time the machine chose, and each delivery is recorded (<see cref="Delivered"/>), so a run can be
/// replayed byte for byte: in replay mode (<see cref="StartReplay"/>) live input is ignored and the recorded
/// deliveries are made at their recorded times instead.
/// </summary>
public sealed class HostInput
{
    /// <summary>The device name under which a monitor command is recorded (no peripheral can have it).</summary>
    public const string MonitorDevice = "@monitor";

    private readonly Machine machine;
    private readonly ConcurrentQueue<(IHostInputReceiver Device, byte Value)> pending = new();
    private readonly List<byte> batch = new();
    private Queue<HostInputDelivery>? replay;
    private ulong replayEnd = ulong.MaxValue;

    internal HostInput(Machine machine) => this.machine = machine;

    /// <summary>Raised on the emulation thread for every delivery, live or replayed.</summary>
    public event Action<HostInputDelivery>? Delivered;

    /// <summary>True while the recorded deliveries of a replay drive the input.</summary>
    public bool IsReplaying => replay != null;

    /// <summary>Virtual time at which a replay ends the run (the recording's end), or ulong.MaxValue.</summary>
    public ulong ReplayEnd => replayEnd;

    /// <summary>
    /// Runs a recorded monitor command during a replay, on the emulation thread; set by the host that owns the
    /// monitor. Without it a replay warns and skips the command.
    /// </summary>
    public Action<string>? MonitorCommandReplayer { get; set; }

    /// <summary>
    /// Records a command typed at the monitor that changes this machine, at the slice boundary where it takes
    /// effect. Call it on the emulation thread between slices, or while the machine is stopped. Ignored in a
    /// replay (the replayed command is the recorded one).
    /// </summary>
    public void RecordMonitorCommand(string line)
    {
        if (replay == null)
        {
            Delivered?.Invoke(new HostInputDelivery(machine.Clock.SliceStart, MonitorDevice, System.Text.Encoding.UTF8.GetBytes(line)));
        }
    }

    /// <summary>Queues bytes for a device. Thread-safe; ignored while replaying (the recording supplies the input).</summary>
    public void Send(IHostInputReceiver device, ReadOnlySpan<byte> bytes)
    {
        if (replay != null)
        {
            return;
        }
        foreach (var b in bytes)
        {
            pending.Enqueue((device, b));
        }
        machine.WakeUp();
    }

    /// <summary>Drives the input from a recording; the run stops (StopReason.RecordingEnd) at <paramref name="end"/>.</summary>
    public void StartReplay(IEnumerable<HostInputDelivery> deliveries, ulong end)
    {
        replay = new Queue<HostInputDelivery>(deliveries.OrderBy(d => d.Time));
        replayEnd = end;
        pending.Clear();
    }

    /// <summary>Time of the next recorded delivery still to make, or ulong.MaxValue.</summary>
    internal ulong NextReplayTime => replay != null && replay.TryPeek(out var next) ? next.Time : ulong.MaxValue;

    /// <summary>Called by the machine at each slice boundary, on the emulation thread.</summary>
    internal void DeliverDue(ulong now)
    {
        if (replay != null)
        {
            while (replay.TryPeek(out var next) && next.Time <= now)
            {
                replay.Dequeue();
                if (next.Device == MonitorDevice)
                {
                    ReplayMonitorCommand(next);
                }
                else if (machine.TryGetByName(next.Device, out var device) && device is IHostInputReceiver receiver)
                {
                    receiver.ReceiveHostInput(next.Bytes);
                    Delivered?.Invoke(next);
                }
                else
                {
                    machine.Log.Warning("replay", $"the recording types into '{next.Device}', which this machine does not have");
                }
            }
            return;
        }
        IHostInputReceiver? current = null;
        while (pending.TryDequeue(out var item))
        {
            if (current != null && !ReferenceEquals(current, item.Device))
            {
                Flush(current, now);
            }
            current = item.Device;
            batch.Add(item.Value);
        }
        if (current != null)
        {
            Flush(current, now);
        }
    }

    private void ReplayMonitorCommand(HostInputDelivery recorded)
    {
        var line = System.Text.Encoding.UTF8.GetString(recorded.Bytes);
        if (MonitorCommandReplayer == null)
        {
            machine.Log.Warning("replay", $"the recording runs the monitor command '{line}', and nothing here can run it");
            return;
        }
        MonitorCommandReplayer(line);
        Delivered?.Invoke(recorded);
    }

    private void Flush(IHostInputReceiver device, ulong now)
    {
        var bytes = batch.ToArray();
        batch.Clear();
        device.ReceiveHostInput(bytes);
        Delivered?.Invoke(new HostInputDelivery(now, machine.GetName(device), bytes));
    }
}
