using Emulator.Core;

namespace Emulator.Tests.PlatformDescription.Peripherals.Test;

/// <summary>`Test.Unsized`: a bus peripheral that does not know its size (needs a range registration).</summary>
public sealed class Unsized : IDoubleWordPeripheral
{
    public uint ReadDoubleWord(long offset) => 0;

    public void WriteDoubleWord(long offset, uint value)
    {
    }

    public void Reset()
    {
    }
}
