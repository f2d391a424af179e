using Emulator.Core;
using Emulator.Core.Registers;
using Emulator.Devicetree;
using Emulator.Time;

namespace Emulator.Peripherals.IRQControllers;

/// <summary>
/// The SiFive CLINT (Renode's <c>IRQControllers.CoreLevelInterruptor</c>): per-hart software interrupt
/// (msip) and timer compare (mtimecmp) registers, and the shared mtime counter, which runs at
/// <c>frequency</c> Hz of virtual time. GPIO outputs: 2h = MSIP of hart h, 2h+1 = MTIP of hart h, so a
/// .repl wires them with <c>[2h, 2h+1] -> cpuh@[3, 7]</c>. It is also the harts' time source (the `time` CSR).
///
/// Timer deadlines are clock events rather than polled comparisons, so a machine whose harts all sleep in
/// WFI jumps straight to the next deadline.
/// </summary>
public sealed class CoreLevelInterruptor : IDoubleWordPeripheral, IQuadWordPeripheral, IKnownSize, INumberedGPIOOutput,
    IRiscVTimeProvider, ITimebaseSource, IDeviceTreeDevice
{
    private const long MsipBase = (long)Registers.MachineSoftwareInterrupt0;
    private const long MsipStride = 4;
    private const long MtimecmpBase = (long)Registers.MachineTimerCompare0;
    private const long MtimecmpStride = 8;
    private const long MtimeOffset = (long)Registers.MachineTime;
    private const ulong NanosecondsPerSecond = 1_000_000_000;

    private readonly Machine machine;
    private readonly DoubleWordRegisterCollection registers = new();
    private readonly GPIO[] softwareInterrupts;
    private readonly GPIO[] timerInterrupts;
    private readonly ulong[] compare;
    private readonly ClockEvent?[] deadlines;
    private readonly Dictionary<int, GPIO> connections = new();

    // mtime = mtimeBase + (Clock.Now - mtimeBaseTime) * frequency / 1e9; a write to mtime moves the base.
    private ulong mtimeBase;
    private ulong mtimeBaseTime;

    /// <param name="divider">As in Renode: mtime ticks at frequency / divider.</param>
    public CoreLevelInterruptor(Machine machine, long frequency, int numberOfTargets = 1, int divider = 1)
    {
        if (frequency <= 0)
        {
            throw new EmulationException($"CLINT frequency must be positive, got {frequency}");
        }
        if (divider < 1 || divider > frequency)
        {
            throw new EmulationException($"CLINT divider must be 1..frequency, got {divider}");
        }
        if (numberOfTargets < 1 || numberOfTargets > 4095)
        {
            throw new EmulationException($"CLINT numberOfTargets must be 1..4095, got {numberOfTargets}");
        }
        this.machine = machine;
        Frequency = (ulong)(frequency / divider);
        NumberOfTargets = numberOfTargets;
        softwareInterrupts = new GPIO[numberOfTargets];
        timerInterrupts = new GPIO[numberOfTargets];
        compare = new ulong[numberOfTargets];
        deadlines = new ClockEvent?[numberOfTargets];
        for (var hart = 0; hart < numberOfTargets; hart++)
        {
            softwareInterrupts[hart] = new GPIO();
            timerInterrupts[hart] = new GPIO();
            connections[2 * hart] = softwareInterrupts[hart];
            connections[2 * hart + 1] = timerInterrupts[hart];
        }
        DefineRegisters();
        Reset();
    }

    /// <summary>mtime ticks per virtual second (the constructor's frequency / divider).</summary>
    public ulong Frequency { get; }

    public int NumberOfTargets { get; }

    public long Size => 0x10000;

    public IReadOnlyDictionary<int, GPIO> Connections => connections;

    public ulong TimerValue => MachineTime;

    public ulong TimebaseFrequency => Frequency;

    public string DeviceTreeNodeName => "clint";

    /// <summary>The current mtime value.</summary>
    public ulong MachineTime
    {
        get
        {
            var now = machine.Clock.Now;
            var elapsed = now > mtimeBaseTime ? now - mtimeBaseTime : 0;
            return mtimeBase + (ulong)((UInt128)elapsed * Frequency / NanosecondsPerSecond);
        }
        set
        {
            mtimeBase = value;
            mtimeBaseTime = machine.Clock.Now;
            for (var hart = 0; hart < NumberOfTargets; hart++)
            {
                UpdateTimer(hart);
            }
        }
    }

    public ulong GetCompare(int hart) => compare[hart];

    public void SetCompare(int hart, ulong value)
    {
        compare[hart] = value;
        // Writing mtimecmp always drops MTIP first; it comes back at once if the new deadline has passed.
        timerInterrupts[hart].Set(false);
        UpdateTimer(hart);
    }

    public void Reset()
    {
        for (var hart = 0; hart < NumberOfTargets; hart++)
        {
            deadlines[hart]?.Cancel();
            deadlines[hart] = null;
            // All ones: no timer interrupt until the guest programs one.
            compare[hart] = ulong.MaxValue;
            softwareInterrupts[hart].Set(false);
            timerInterrupts[hart].Set(false);
        }
        registers.Reset();
        mtimeBase = 0;
        mtimeBaseTime = machine.Clock.Now;
    }

    public uint ReadDoubleWord(long offset) => (uint)registers.Read(offset, machine, this);

    public void WriteDoubleWord(long offset, uint value) => registers.Write(offset, value, machine, this);

    public ulong ReadQuadWord(long offset)
    {
        if (offset == MtimeOffset)
        {
            return MachineTime;
        }
        if (TryGetCompareHart(offset, out var hart))
        {
            return compare[hart];
        }
        return ReadDoubleWord(offset) | ((ulong)ReadDoubleWord(offset + 4) << 32);
    }

    public void WriteQuadWord(long offset, ulong value)
    {
        // A 64-bit store sets mtime/mtimecmp in one step, without the transient value two halves would give.
        if (offset == MtimeOffset)
        {
            MachineTime = value;
            return;
        }
        if (TryGetCompareHart(offset, out var hart))
        {
            SetCompare(hart, value);
            return;
        }
        WriteDoubleWord(offset, (uint)value);
        WriteDoubleWord(offset + 4, (uint)(value >> 32));
    }

    public void DescribeDeviceTree(DeviceTreeNode node, DeviceTreeContext context)
    {
        node.SetStrings("compatible", "sifive,clint0", "riscv,clint0");
        var lines = new List<GPIO>();
        for (var hart = 0; hart < NumberOfTargets; hart++)
        {
            lines.Add(softwareInterrupts[hart]);
            lines.Add(timerInterrupts[hart]);
        }
        node.SetCells("interrupts-extended", context.InterruptsExtended(lines));
    }

    private bool TryGetCompareHart(long offset, out int hart)
    {
        hart = (int)((offset - MtimecmpBase) / MtimecmpStride);
        return offset >= MtimecmpBase && (offset - MtimecmpBase) % MtimecmpStride == 0 && hart < NumberOfTargets;
    }

    private void DefineRegisters()
    {
        for (var h = 0; h < NumberOfTargets; h++)
        {
            var hart = h;
            registers.DefineRegister(MsipBase + MsipStride * hart)
                .WithFlag(0, name: "MSIP",
                    valueProviderCallback: _ => softwareInterrupts[hart].IsSet,
                    writeCallback: (_, value) => softwareInterrupts[hart].Set(value))
                .WithReservedBits(1, 31);
            registers.DefineRegister(MtimecmpBase + MtimecmpStride * hart)
                .WithValueField(0, 32, name: "MTIMECMP_LO",
                    valueProviderCallback: _ => (uint)compare[hart],
                    writeCallback: (_, value) => SetCompare(hart, (compare[hart] & 0xFFFF_FFFF_0000_0000UL) | value));
            registers.DefineRegister(MtimecmpBase + MtimecmpStride * hart + 4)
                .WithValueField(0, 32, name: "MTIMECMP_HI",
                    valueProviderCallback: _ => compare[hart] >> 32,
                    writeCallback: (_, value) => SetCompare(hart, (compare[hart] & 0xFFFF_FFFFUL) | (value << 32)));
        }
        registers.DefineRegister(MtimeOffset)
            .WithValueField(0, 32, name: "MTIME_LO",
                valueProviderCallback: _ => (uint)MachineTime,
                writeCallback: (_, value) => MachineTime = (MachineTime & 0xFFFF_FFFF_0000_0000UL) | value);
        registers.DefineRegister(MtimeOffset + 4)
            .WithValueField(0, 32, name: "MTIME_HI",
                valueProviderCallback: _ => MachineTime >> 32,
                writeCallback: (_, value) => MachineTime = (MachineTime & 0xFFFF_FFFFUL) | (value << 32));
    }

    /// <summary>Asserts MTIP if the deadline has passed, otherwise schedules a clock event for it.</summary>
    private void UpdateTimer(int hart)
    {
        deadlines[hart]?.Cancel();
        deadlines[hart] = null;
        var now = MachineTime;
        if (now >= compare[hart])
        {
            timerInterrupts[hart].Set(true);
            return;
        }
        timerInterrupts[hart].Set(false);
        // First virtual nanosecond at which mtime reaches the compare value (rounded up).
        var ticks = (UInt128)(compare[hart] - mtimeBase);
        var at = (UInt128)mtimeBaseTime + (ticks * NanosecondsPerSecond + Frequency - 1) / Frequency;
        if (at >= ulong.MaxValue / 2)
        {
            // Centuries away (typically mtimecmp = all ones): never fires.
            return;
        }
        // Never schedule in the past: an event due now would fire again within the same pass.
        var when = Math.Max((ulong)at, machine.Clock.Now + 1);
        deadlines[hart] = machine.Clock.ScheduleAt(when, () =>
        {
            deadlines[hart] = null;
            UpdateTimer(hart);
        });
    }

    private enum Registers : long
    {
        MachineSoftwareInterrupt0 = 0x0,    // msip, one 32-bit word per hart
        MachineTimerCompare0 = 0x4000,      // mtimecmp, one 64-bit word per hart
        MachineTime = 0xBFF8,               // mtime, 64 bits
    }
}
