namespace Emulator.Peripherals.CPU;

/// <summary>What an access wants from a cache line in the coherence model: a copy, or the only copy.</summary>
internal enum CoherenceAccess
{
    Load,
    Store,
    Atomic,
}
