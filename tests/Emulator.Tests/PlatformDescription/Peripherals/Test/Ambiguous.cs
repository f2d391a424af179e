using Emulator.Core;

namespace Emulator.Tests.PlatformDescription.Peripherals.Test;

/// <summary>`Test.Ambiguous`: two constructors that both fit an empty entry (E26).</summary>
public sealed class Ambiguous : IPeripheral
{
    public Ambiguous(int number = 0)
    {
        Number = number;
    }

    public Ambiguous(string text = "")
    {
        Number = text.Length;
    }

    public int Number { get; }

    public void Reset()
    {
    }
}
