using Emulator.Core;

namespace Emulator.Tests.Peripherals;

/// <summary>An interrupt receiver for tests: remembers the level of every pin and counts changes.</summary>
public sealed class RecordingReceiver : IGPIOReceiver
{
    private readonly Dictionary<int, bool> levels = new();

    public int Changes { get; private set; }

    public bool this[int pin] => levels.TryGetValue(pin, out var level) && level;

    public void OnGPIO(int number, bool value)
    {
        levels[number] = value;
        Changes++;
    }

    public void Reset()
    {
    }
}
