using Emulator.Core;

namespace Emulator.Tests.Monitor;

/// <summary>
/// A register whose read takes a long host time on the emulation thread, as a loaded host makes any slice
/// slow; <see cref="Touch"/> (called through the monitor) records whether it ran during such a read.
/// </summary>
public sealed class SlowProbe : IDoubleWordPeripheral
{
    private readonly TimeSpan readTime;
    private volatile bool inRead;

    public SlowProbe(TimeSpan readTime) => this.readTime = readTime;

    public bool InRead => inRead;

    public int TouchedDuringRead { get; private set; }

    public int Touches { get; private set; }

    public uint ReadDoubleWord(long offset)
    {
        inRead = true;
        Thread.Sleep(readTime);
        inRead = false;
        return 0;
    }

    public void WriteDoubleWord(long offset, uint value)
    {
    }

    public void Touch()
    {
        Touches++;
        if (inRead)
        {
            TouchedDuringRead++;
        }
    }

    public void Reset()
    {
    }
}
