using Emulator.Core;

namespace Emulator.Tests.PlatformDescription.Peripherals.Test;

/// <summary>`Test.AbstractPeripheral`: cannot be created (E49).</summary>
public abstract class AbstractPeripheral : IPeripheral
{
    public abstract void Reset();
}
