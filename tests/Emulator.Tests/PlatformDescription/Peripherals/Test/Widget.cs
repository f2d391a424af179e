using Emulator.Core;

namespace Emulator.Tests.PlatformDescription.Peripherals.Test;

/// <summary>A bus peripheral for .repl tests (`Test.Widget`): constructor parameters of many kinds, properties, GPIOs.</summary>
public sealed class Widget : IDoubleWordPeripheral, IKnownSize, INumberedGPIOOutput
{
    private readonly Dictionary<int, GPIO> connections = Enumerable.Range(0, 4).ToDictionary(i => i, _ => new GPIO());

    public Widget(Machine machine, int count = 1, string label = "w", ulong address = 0, Mode mode = Mode.Slow, bool flag = false,
        double ratio = 1.0, Widget? partner = null, int[]? values = null, long offset = 0)
    {
        Machine = machine;
        Count = count;
        Label = label;
        Address = address;
        Mode = mode;
        Flag = flag;
        Ratio = ratio;
        Partner = partner;
        Values = values;
        Offset = offset;
    }

    public Machine Machine { get; }

    public int Count { get; }

    public string Label { get; }

    public ulong Address { get; }

    public Mode Mode { get; }

    public bool Flag { get; }

    public double Ratio { get; }

    public Widget? Partner { get; }

    public int[]? Values { get; }

    public long Offset { get; }

    public int Speed { get; set; } = 2;

    public List<string>? Names { get; set; }

    public string ReadOnlyThing => "fixed";

    public GPIO IRQ { get; } = new();

    public IReadOnlyDictionary<int, GPIO> Connections => connections;

    public long Size => 0x100;

    public uint ReadDoubleWord(long offset) => 0;

    public void WriteDoubleWord(long offset, uint value)
    {
    }

    public void Reset()
    {
    }
}
