namespace Emulator.Scheduling;

/// <summary>How the machine picks which hart runs next (docs/exploration.md).</summary>
public enum ScheduleKind
{
    /// <summary>Round-robin slices of one quantum (the default; a seed shuffles order and lengths).</summary>
    Slices,

    /// <summary>Random preemption: after every short random run of instructions, a random runnable hart goes next.</summary>
    Random,

    /// <summary>Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): priorities with d-1 change points.</summary>
    Pct,
}
