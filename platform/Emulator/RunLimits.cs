namespace Emulator;

/// <summary>Bounds on one call to <see cref="Machine.Run"/>; zero means unbounded.</summary>
public readonly record struct RunLimits(ulong MaxInstructions = 0, ulong MaxVirtualNanoseconds = 0)
{
    public static RunLimits ForTime(TimeSpan span) => new(0, (ulong)span.Ticks * 100);
}
