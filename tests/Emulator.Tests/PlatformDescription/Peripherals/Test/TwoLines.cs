using Emulator.Core;

namespace Emulator.Tests.PlatformDescription.Peripherals.Test;

/// <summary>`Test.TwoLines`: two named GPIO outputs and no default (for E15), not numbered (for E14).</summary>
public sealed class TwoLines : IPeripheral
{
    public GPIO A { get; } = new();

    public GPIO B { get; } = new();

    public void Reset()
    {
    }
}
