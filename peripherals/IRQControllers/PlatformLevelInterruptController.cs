using Emulator.Core;
using Emulator.Core.Registers;
using Emulator.Devicetree;

namespace Emulator.Peripherals.IRQControllers;

/// <summary>
/// The RISC-V PLIC (Renode's <c>IRQControllers.PlatformLevelInterruptController</c>), following the PLIC
/// specification: sources 1..numberOfSources are level-triggered GPIO inputs; each context (a hart in one
/// privilege mode) is a GPIO output. Map: priority 4*i, pending bits 0x1000, enables 0x2000 + 0x80*c,
/// threshold 0x200000 + 0x1000*c, claim/complete 0x200004 + 0x1000*c.
///
/// Unlike Renode, pending bits are one global array (readable at 0x1000) and the threshold is honoured:
/// a context line is high while some pending source it enables has priority above its threshold.
/// The gateway is level-triggered: while a source is not claimed its pending bit follows its input (as in
/// QEMU); a claim clears it and holds it off until the completion, after which a still-high input pends again.
/// </summary>
public sealed class PlatformLevelInterruptController : IDoubleWordPeripheral, IKnownSize, IIRQController, INumberedGPIOOutput, IDeviceTreeDevice
{
    private const long PriorityBase = (long)Registers.SourcePriority0;
    private const long PendingBase = (long)Registers.PendingArray;
    private const long EnableBase = (long)Registers.Context0Enables;
    private const long EnableStride = 0x80;
    private const long ContextBase = (long)Registers.Context0Threshold;
    private const long ContextStride = 0x1000;
    private const long ClaimOffset = Registers.Context0ClaimComplete - Registers.Context0Threshold;
    private const uint MaxPriority = 7;

    private readonly Machine machine;
    private readonly DoubleWordRegisterCollection registers = new();
    private readonly uint[] priorities;
    private readonly bool[] inputLevels;
    private readonly bool[] pending;
    private readonly bool[] claimed;
    private readonly bool[][] enabled;
    private readonly uint[] thresholds;
    private readonly GPIO[] contextLines;
    private readonly Dictionary<int, GPIO> connections = new();

    public PlatformLevelInterruptController(Machine machine, int numberOfSources, int numberOfContexts, bool prioritiesEnabled = true)
    {
        if (numberOfSources < 1 || numberOfSources > 1023)
        {
            throw new EmulationException($"PLIC numberOfSources must be 1..1023, got {numberOfSources}");
        }
        if (numberOfContexts < 1 || numberOfContexts > 15872)
        {
            throw new EmulationException($"PLIC numberOfContexts must be 1..15872, got {numberOfContexts}");
        }
        this.machine = machine;
        NumberOfSources = numberOfSources;
        NumberOfContexts = numberOfContexts;
        PrioritiesEnabled = prioritiesEnabled;
        priorities = new uint[numberOfSources + 1];
        inputLevels = new bool[numberOfSources + 1];
        pending = new bool[numberOfSources + 1];
        claimed = new bool[numberOfSources + 1];
        enabled = new bool[numberOfContexts][];
        thresholds = new uint[numberOfContexts];
        contextLines = new GPIO[numberOfContexts];
        for (var context = 0; context < numberOfContexts; context++)
        {
            enabled[context] = new bool[numberOfSources + 1];
            contextLines[context] = new GPIO();
            connections[context] = contextLines[context];
        }
        DefineRegisters();
        Reset();
    }

    public int NumberOfSources { get; }

    public int NumberOfContexts { get; }

    public bool PrioritiesEnabled { get; }

    public long Size => 0x4000000;

    public IReadOnlyDictionary<int, GPIO> Connections => connections;

    public string DeviceTreeNodeName => "plic";

    public void Reset()
    {
        for (var source = 0; source <= NumberOfSources; source++)
        {
            // Renode's power-on priority is 1 (so an enabled source interrupts without further setup); source 0 is always 0.
            priorities[source] = source == 0 ? 0u : 1u;
            pending[source] = inputLevels[source];
            claimed[source] = false;
        }
        for (var context = 0; context < NumberOfContexts; context++)
        {
            Array.Clear(enabled[context]);
            thresholds[context] = 0;
        }
        registers.Reset();
        UpdateContextLines();
    }

    /// <summary>Source input: <paramref name="number"/> is the source ID (1..numberOfSources).</summary>
    public void OnGPIO(int number, bool value)
    {
        if (number < 1 || number > NumberOfSources)
        {
            machine.Log.Warning(machine.GetName(this), $"interrupt source {number} does not exist (valid: 1..{NumberOfSources}); ignored");
            return;
        }
        inputLevels[number] = value;
        if (!claimed[number])
        {
            pending[number] = value;
        }
        UpdateContextLines();
    }

    public bool IsPending(int source) => pending[source];

    /// <summary>Claims the best interrupt for a context (what a read of its claim register does); 0 if none.</summary>
    public uint Claim(int context)
    {
        var best = 0;
        var bestPriority = thresholds[context];
        for (var source = 1; source <= NumberOfSources; source++)
        {
            // Strictly greater: ties go to the lowest ID, and the threshold masks priorities at or below it.
            if (pending[source] && enabled[context][source] && EffectivePriority(source) > bestPriority)
            {
                best = source;
                bestPriority = EffectivePriority(source);
            }
        }
        if (best != 0)
        {
            pending[best] = false;
            claimed[best] = true;
            UpdateContextLines();
        }
        return (uint)best;
    }

    /// <summary>Completes a claimed interrupt (what a write of its ID to the claim register does).</summary>
    public void Complete(int context, uint source)
    {
        if (source < 1 || source > NumberOfSources || !claimed[source])
        {
            machine.Log.Warning(machine.GetName(this), $"context {context} completed interrupt {source}, which is not claimed; ignored");
            return;
        }
        if (!enabled[context][source])
        {
            // The spec: a completion for a source not enabled for the context is ignored.
            machine.Log.Warning(machine.GetName(this), $"context {context} completed interrupt {source}, which it does not enable; ignored");
            return;
        }
        claimed[source] = false;
        pending[source] = inputLevels[source];
        UpdateContextLines();
    }

    public uint ReadDoubleWord(long offset) => (uint)registers.Read(offset, machine, this);

    public void WriteDoubleWord(long offset, uint value) => registers.Write(offset, value, machine, this);

    public void DescribeDeviceTree(DeviceTreeNode node, DeviceTreeContext context)
    {
        node.SetStrings("compatible", "sifive,plic-1.0.0", "riscv,plic0");
        node.SetCells("#address-cells", 0);
        node.SetCells("#interrupt-cells", 1);
        node.SetEmpty("interrupt-controller");
        node.SetCells("riscv,ndev", (uint)NumberOfSources);
        node.SetCells("interrupts-extended", context.InterruptsExtended(contextLines));
    }

    private uint EffectivePriority(int source) => PrioritiesEnabled ? priorities[source] : (source == 0 ? 0u : 1u);

    private void UpdateContextLines()
    {
        for (var context = 0; context < NumberOfContexts; context++)
        {
            var level = false;
            for (var source = 1; source <= NumberOfSources && !level; source++)
            {
                level = pending[source] && enabled[context][source] && EffectivePriority(source) > thresholds[context];
            }
            contextLines[context].Set(level);
        }
    }

    private void DefineRegisters()
    {
        registers.DefineRegister(PriorityBase).WithReservedBits(0, 32);
        for (var s = 1; s <= NumberOfSources; s++)
        {
            var source = s;
            registers.DefineRegister(PriorityBase + 4 * source)
                .WithValueField(0, 3, name: $"PRIORITY{source}",
                    valueProviderCallback: _ => EffectivePriority(source),
                    writeCallback: (_, value) =>
                    {
                        if (PrioritiesEnabled)
                        {
                            priorities[source] = (uint)Math.Min(value, MaxPriority);
                            UpdateContextLines();
                        }
                    })
                .WithReservedBits(3, 29);
        }
        var words = NumberOfSources / 32 + 1;
        for (var w = 0; w < words; w++)
        {
            var word = w;
            registers.DefineRegister(PendingBase + 4 * word)
                .WithValueField(0, 32, FieldMode.Read, name: $"PENDING{word}",
                    valueProviderCallback: _ => BitsOf(pending, word));
        }
        for (var c = 0; c < NumberOfContexts; c++)
        {
            var context = c;
            for (var w = 0; w < words; w++)
            {
                var word = w;
                registers.DefineRegister(EnableBase + EnableStride * context + 4 * word)
                    .WithValueField(0, 32, name: $"ENABLE{context}_{word}",
                        valueProviderCallback: _ => BitsOf(enabled[context], word),
                        writeCallback: (_, value) =>
                        {
                            for (var bit = 0; bit < 32; bit++)
                            {
                                var source = word * 32 + bit;
                                if (source >= 1 && source <= NumberOfSources)
                                {
                                    enabled[context][source] = (value & (1UL << bit)) != 0;
                                }
                            }
                            UpdateContextLines();
                        });
            }
            registers.DefineRegister(ContextBase + ContextStride * context)
                .WithValueField(0, 3, name: $"THRESHOLD{context}",
                    valueProviderCallback: _ => thresholds[context],
                    writeCallback: (_, value) =>
                    {
                        thresholds[context] = (uint)Math.Min(value, MaxPriority);
                        UpdateContextLines();
                    })
                .WithReservedBits(3, 29);
            registers.DefineRegister(ContextBase + ContextStride * context + ClaimOffset)
                .WithValueField(0, 32, name: $"CLAIM_COMPLETE{context}",
                    valueProviderCallback: _ => Claim(context),
                    writeCallback: (_, value) => Complete(context, (uint)value));
        }
    }

    private static ulong BitsOf(bool[] bits, int word)
    {
        ulong value = 0;
        for (var bit = 0; bit < 32; bit++)
        {
            var index = word * 32 + bit;
            if (index > 0 && index < bits.Length && bits[index])
            {
                value |= 1UL << bit;
            }
        }
        return value;
    }

    private enum Registers : long
    {
        SourcePriority0 = 0x0,              // one 32-bit word per source; source 0 does not exist
        PendingArray = 0x1000,              // one bit per source
        Context0Enables = 0x2000,           // one bit per source, 0x80 bytes per context
        Context0Threshold = 0x200000,       // 0x1000 bytes per context
        Context0ClaimComplete = 0x200004,
    }
}
