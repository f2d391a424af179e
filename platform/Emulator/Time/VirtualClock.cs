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

    private ulong sliceStart;
    private ulong completed;
    private int executingThread;

    /// <summary>
    /// Time at the start of the current slice; harts add their progress inside it. Only ever moves forward,
    /// and every hart has executed up to it, so it is also the time other threads see (<see cref="Now"/>).
    /// </summary>
    internal ulong SliceStart
    {
        get => sliceStart;
        set
        {
            sliceStart = value;
            if (value > Volatile.Read(ref completed))
            {
                Volatile.Write(ref completed, value);
            }
        }
    }

    /// <summary>Set by the machine: nanoseconds the running hart has advanced into the current slice.</summary>
    internal Func<ulong>? SliceProgress { get; set; }

    /// <summary>
    /// The current virtual time. On the thread running the machine (harts, peripherals, events, posted
    /// actions) it is the running hart's own time: the slice start plus its progress into the slice. Harts
    /// share a slice, each starting from its beginning, so that time steps back when the next hart runs.
    /// Any other thread (testers, monitor, Remote server, GDB) reads the end of the last completed slice
    /// instead: it never decreases, however its reads interleave with the harts, and never runs ahead of
    /// what every hart has executed.
    /// </summary>
    public ulong Now => Environment.CurrentManagedThreadId == Volatile.Read(ref executingThread)
        ? sliceStart + (SliceProgress?.Invoke() ?? 0)
        : Volatile.Read(ref completed);

    /// <summary>Marks the calling thread as the one executing the machine (or none, with false) for <see cref="Now"/>.</summary>
    internal void SetExecutingThread(bool executing) =>
        Volatile.Write(ref executingThread, executing ? Environment.CurrentManagedThreadId : 0);

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
