using Emulator.Core;

namespace Emulator.Tests.PlatformDescription.Peripherals.Test;

/// <summary>`Test.Throwing`: its constructor fails (E38).</summary>
public sealed class Throwing : IPeripheral
{
    public Throwing(int value = 0)
    {
        throw new InvalidOperationException($"boom {value}");
    }

    public void Reset()
    {
    }
}
