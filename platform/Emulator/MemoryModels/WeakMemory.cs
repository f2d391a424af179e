using Emulator.Peripherals.CPU;

namespace Emulator.MemoryModels;

/// <summary>
/// The RVWMO memory model of one machine: a store buffer and views per hart, the history of recently written
/// memory, and the seeded generator that decides when and in which allowed order buffered stores reach
/// memory and which allowed value each load reads. Only harts' slow paths see it: under RVWMO a hart takes
/// no direct RAM path and runs no translated code.
/// </summary>
internal sealed class WeakMemory
{
    private readonly List<StoreBuffer> buffers = new();

    public WeakMemory(int seed)
    {
        // Its own stream, so the memory model's choices do not shift the schedule's.
        Random = new Random(unchecked(seed * 1_000_003 + 0x5EED));
    }

    public Random Random { get; }

    public MemoryHistory History { get; } = new();

    public StoreBuffer Attach(RiscV64 hart)
    {
        var buffer = new StoreBuffer(hart, this, buffers.Count);
        buffers.Add(buffer);
        return buffer;
    }

    /// <summary>Makes every buffered store visible (run end, slice end, switching back to SC).</summary>
    public void DrainAll()
    {
        foreach (var b in buffers)
        {
            b.DrainAll();
        }
    }

    public void ClearAll()
    {
        foreach (var b in buffers)
        {
            b.Clear();
        }
        History.Clear();
    }
}
