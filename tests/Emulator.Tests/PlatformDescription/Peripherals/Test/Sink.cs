using Emulator.Core;

namespace Emulator.Tests.PlatformDescription.Peripherals.Test;

/// <summary>`Test.Sink`: an interrupt receiver that remembers pin levels.</summary>
public sealed class Sink : IGPIOReceiver
{
    public Dictionary<int, bool> Levels { get; } = new();

    public void OnGPIO(int number, bool value) => Levels[number] = value;

    public bool Level(int pin) => Levels.TryGetValue(pin, out var level) && level;

    public void Reset()
    {
    }
}
