using Emulator.Core;

namespace Emulator.PlatformDescription;

/// <summary>
/// The OR gate Renode puts in front of a destination pin that two or more sources drive: the pin is high
/// while any input is high. Created by the platform loader, not by users.
/// </summary>
public sealed class GpioCombiner : IGPIOReceiver
{
    private readonly bool[] inputs;

    public GpioCombiner(int inputCount)
    {
        inputs = new bool[inputCount];
    }

    public GPIO Output { get; } = new();

    public void OnGPIO(int number, bool value)
    {
        if (number < 0 || number >= inputs.Length)
        {
            return;
        }
        inputs[number] = value;
        Output.Set(Array.IndexOf(inputs, true) >= 0);
    }

    public void Reset()
    {
    }
}
