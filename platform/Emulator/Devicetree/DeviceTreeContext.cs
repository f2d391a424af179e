using Emulator.Core;

namespace Emulator.Devicetree;

/// <summary>
/// What a device needs to describe itself: the machine, and phandles of interrupt parents (a hart's local
/// interrupt controller, or an interrupt controller on the bus), so interrupts can be read off GPIO wiring.
/// </summary>
public sealed class DeviceTreeContext
{
    private readonly Dictionary<object, uint> phandles;

    internal DeviceTreeContext(Machine machine, Dictionary<object, uint> phandles)
    {
        Machine = machine;
        this.phandles = phandles;
    }

    public Machine Machine { get; }

    /// <summary>Phandle of an interrupt parent: a hart (its cpu-intc node) or a bus interrupt controller.</summary>
    public bool TryGetPhandle(object receiver, out uint phandle) => phandles.TryGetValue(receiver, out phandle);

    /// <summary>
    /// `interrupts-extended` cells for the given lines, in order: &lt;parent-phandle pin&gt; per connected
    /// endpoint whose receiver is in the tree. Lines wired to nothing known are skipped.
    /// </summary>
    public uint[] InterruptsExtended(IEnumerable<GPIO> lines)
    {
        var cells = new List<uint>();
        foreach (var line in lines)
        {
            foreach (var endpoint in line.Endpoints)
            {
                if (phandles.TryGetValue(endpoint.Receiver, out var phandle))
                {
                    cells.Add(phandle);
                    cells.Add((uint)endpoint.Number);
                }
            }
        }
        return cells.ToArray();
    }

    /// <summary>The first interrupt parent and number a line reaches (for `interrupt-parent` + `interrupts`).</summary>
    public bool TryGetInterrupt(GPIO line, out uint parentPhandle, out uint number)
    {
        foreach (var endpoint in line.Endpoints)
        {
            if (phandles.TryGetValue(endpoint.Receiver, out parentPhandle))
            {
                number = (uint)endpoint.Number;
                return true;
            }
        }
        parentPhandle = 0;
        number = 0;
        return false;
    }
}
