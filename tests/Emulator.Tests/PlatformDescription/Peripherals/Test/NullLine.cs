using Emulator.Core;

namespace Emulator.Tests.PlatformDescription.Peripherals.Test;

/// <summary>`Test.NullLine`: a GPIO property that is never initialized (E44).</summary>
public sealed class NullLine : IPeripheral
{
    public GPIO IRQ => null!;

    public void Reset()
    {
    }
}
