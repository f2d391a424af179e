using Emulator.Core;

namespace Emulator.Bus;

/// <summary>One mapped range of the system bus.</summary>
public sealed class BusRegistration
{
    internal BusRegistration(IBusPeripheral peripheral, ulong start, ulong size, string name)
    {
        Peripheral = peripheral;
        Start = start;
        Size = size;
        Name = name;
    }

    public IBusPeripheral Peripheral { get; }

    public ulong Start { get; }

    public ulong Size { get; }

    public ulong End => Start + Size;

    public string Name { get; }

    public bool LogAccesses { get; set; }

    public bool Contains(ulong address) => address - Start < Size;
}
