namespace Emulator.Time;

/// <summary>
/// Virtual time in nanoseconds. Time advances only as harts execute (instructions / PerformanceInMips)
/// or when every hart waits and the machine jumps to the next event. Events fire in time order, ties in
/// the order they were scheduled, so a run is reproducible.
/// </summary>
public sealed class VirtualClock
{
    private readonly PriorityQueue<ClockEvent, (ulong, long)> events = new();
    private long sequence;

    /// <summary>Time at the start of the current slice; harts add their progress inside it.</summary>
    internal ulong SliceStart { get; set; }

    /// <summary>Set by the machine: nanoseconds the running hart has advanced into the current slice.</summary>
    internal Func<ulong>? SliceProgress { get; set; }

    public ulong Now => SliceStart + (SliceProgress?.Invoke() ?? 0);

    public ClockEvent ScheduleAt(ulong time, Action callback)
    {
        var e = new ClockEvent(time, callback);
        events.Enqueue(e, (time, sequence++));
        return e;
    }

    public ClockEvent ScheduleAfter(ulong delay, Action callback) => ScheduleAt(Now + delay, callback);

    /// <summary>Time of the earliest live event, or ulong.MaxValue.</summary>
    public ulong NextEventTime
    {
        get
        {
            while (events.TryPeek(out var e, out _))
            {
                if (!e.IsCancelled)
                {
                    return e.Time;
                }
                events.Dequeue();
            }
            return ulong.MaxValue;
        }
    }

    internal void FireDue(ulong now)
    {
        while (events.TryPeek(out var e, out _) && e.Time <= now)
        {
            events.Dequeue();
            if (!e.IsCancelled)
            {
                e.Callback();
            }
        }
    }

    /// <summary>Drops every pending event. Time itself never goes back, so runs in progress keep their bearings.</summary>
    internal void ClearEvents()
    {
        events.Clear();
    }
}
