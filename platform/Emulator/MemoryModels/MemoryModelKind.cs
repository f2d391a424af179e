namespace Emulator.MemoryModels;

/// <summary>The memory model harts see (docs/exploration.md).</summary>
public enum MemoryModelKind
{
    /// <summary>Sequential consistency: every access reaches memory at once, in program order (the default, fastest).</summary>
    Sc,

    /// <summary>RISC-V's weak memory order: per-hart store buffers drained in seeded orders that RVWMO allows.</summary>
    Rvwmo,
}
