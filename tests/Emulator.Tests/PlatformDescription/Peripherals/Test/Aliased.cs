using Emulator.Core;
using Emulator.PlatformDescription;

namespace Emulator.Tests.PlatformDescription.Peripherals.Test;

/// <summary>`Test.Aliased`: a parameter with a [NameAlias].</summary>
public sealed class Aliased : IDoubleWordPeripheral, IKnownSize
{
    public Aliased([NameAlias("limit")] int speedLimit = 0)
    {
        SpeedLimit = speedLimit;
    }

    public int SpeedLimit { get; }

    public long Size => 0x10;

    public uint ReadDoubleWord(long offset) => 0;

    public void WriteDoubleWord(long offset, uint value)
    {
    }

    public void Reset()
    {
    }
}
