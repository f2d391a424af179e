namespace Emulator.Time;

/// <summary>A callback scheduled on the virtual clock; Cancel makes it a no-op.</summary>
public sealed class ClockEvent
{
    internal ClockEvent(ulong time, Action callback)
    {
        Time = time;
        Callback = callback;
    }

    public ulong Time { get; }

    internal Action Callback { get; }

    public bool IsCancelled { get; private set; }

    public void Cancel() => IsCancelled = true;
}
