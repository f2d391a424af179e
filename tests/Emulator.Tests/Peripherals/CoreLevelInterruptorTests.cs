using Emulator.Peripherals.IRQControllers;
using NUnit.Framework;

namespace Emulator.Tests.Peripherals;

public class CoreLevelInterruptorTests
{
    private Machine machine = null!;
    private CoreLevelInterruptor clint = null!;
    private RecordingReceiver hart0 = null!;
    private RecordingReceiver hart1 = null!;

    [SetUp]
    public void SetUp()
    {
        machine = new Machine();
        clint = new CoreLevelInterruptor(machine, 10_000_000, numberOfTargets: 2);
        hart0 = new RecordingReceiver();
        hart1 = new RecordingReceiver();
        clint.Connections[0].Connect(hart0, 3);
        clint.Connections[1].Connect(hart0, 7);
        clint.Connections[2].Connect(hart1, 3);
        clint.Connections[3].Connect(hart1, 7);
    }

    private void AdvanceTo(ulong nanoseconds)
    {
        machine.Clock.SliceStart = nanoseconds;
        machine.Clock.FireDue(nanoseconds);
    }

    [Test]
    public void HasTwoOutputsPerHartAndRenodeSize()
    {
        Assert.That(clint.Connections.Keys, Is.EquivalentTo(new[] { 0, 1, 2, 3 }));
        Assert.That(clint.Size, Is.EqualTo(0x10000));
    }

    [Test]
    public void MsipDrivesTheSoftwareInterruptOfItsHartOnly()
    {
        clint.WriteDoubleWord(0x4, 1);
        Assert.That(hart1[3], Is.True);
        Assert.That(hart0[3], Is.False);
        Assert.That(clint.ReadDoubleWord(0x4), Is.EqualTo(1u));
        Assert.That(clint.ReadDoubleWord(0x0), Is.EqualTo(0u));
        clint.WriteDoubleWord(0x4, 0);
        Assert.That(hart1[3], Is.False);
    }

    [Test]
    public void MtimeFollowsVirtualTimeAtTheFrequency()
    {
        AdvanceTo(1_000_000); // 1 ms at 10 MHz = 10 000 ticks
        Assert.That(clint.ReadDoubleWord(0xBFF8), Is.EqualTo(10_000u));
        Assert.That(clint.ReadQuadWord(0xBFF8), Is.EqualTo(10_000UL));
        Assert.That(clint.TimerValue, Is.EqualTo(10_000UL));
    }

    [Test]
    public void DividerSlowsMtimeAsInRenode()
    {
        var divided = new CoreLevelInterruptor(machine, 10_000_000, divider: 4);
        AdvanceTo(1_000_000);
        Assert.That(divided.TimerValue, Is.EqualTo(2_500UL));
        Assert.That(divided.TimebaseFrequency, Is.EqualTo(2_500_000UL));
    }

    [Test]
    public void MtimeIsWritableAndKeepsCountingFromTheWrittenValue()
    {
        AdvanceTo(1_000);
        clint.WriteQuadWord(0xBFF8, 0x1_0000_0000);
        AdvanceTo(1_100); // +100 ns = +1 tick
        Assert.That(clint.ReadQuadWord(0xBFF8), Is.EqualTo(0x1_0000_0001UL));
        Assert.That(clint.ReadDoubleWord(0xBFFC), Is.EqualTo(1u));
        clint.WriteDoubleWord(0xBFF8, 5);
        Assert.That(clint.ReadQuadWord(0xBFF8), Is.EqualTo(0x1_0000_0005UL));
    }

    [Test]
    public void CompareInThePastAssertsTimerAtOnce()
    {
        AdvanceTo(1_000_000);
        clint.WriteQuadWord(0x4008, 5_000);
        Assert.That(hart1[7], Is.True);
        Assert.That(hart0[7], Is.False);
    }

    [Test]
    public void WritingCompareClearsTimerAndTheDeadlineIsAClockEvent()
    {
        clint.WriteQuadWord(0x4000, 0);
        Assert.That(hart0[7], Is.True);
        clint.WriteQuadWord(0x4000, 20_000); // 2 ms at 10 MHz
        Assert.That(hart0[7], Is.False);
        Assert.That(machine.Clock.NextEventTime, Is.EqualTo(2_000_000UL));
        AdvanceTo(1_999_999);
        Assert.That(hart0[7], Is.False);
        AdvanceTo(2_000_000);
        Assert.That(hart0[7], Is.True);
    }

    [Test]
    public void CompareHalvesCanBeWrittenWith32BitAccesses()
    {
        clint.WriteDoubleWord(0x4000, 0xFFFF_FFFF);
        clint.WriteDoubleWord(0x4004, 0x0000_0001);
        Assert.That(clint.ReadQuadWord(0x4000), Is.EqualTo(0x1_FFFF_FFFFUL));
        Assert.That(clint.ReadDoubleWord(0x4000), Is.EqualTo(0xFFFF_FFFFu));
        Assert.That(clint.ReadDoubleWord(0x4004), Is.EqualTo(1u));
        Assert.That(hart0[7], Is.False);
    }

    [Test]
    public void AllOnesCompareNeverFires()
    {
        clint.WriteQuadWord(0x4000, ulong.MaxValue);
        Assert.That(machine.Clock.NextEventTime, Is.EqualTo(ulong.MaxValue));
        Assert.That(hart0[7], Is.False);
    }

    [Test]
    public void WritingMtimeReschedulesDeadlines()
    {
        clint.WriteQuadWord(0x4000, 1_000);
        Assert.That(hart0[7], Is.False);
        clint.WriteQuadWord(0xBFF8, 1_000);
        Assert.That(hart0[7], Is.True);
    }

    [Test]
    public void ResetClearsInterruptsAndCancelsDeadlines()
    {
        clint.WriteDoubleWord(0x0, 1);
        clint.WriteQuadWord(0x4000, 0);
        clint.WriteQuadWord(0x4008, 1_000);
        clint.Reset();
        Assert.That(hart0[3], Is.False);
        Assert.That(hart0[7], Is.False);
        Assert.That(clint.ReadQuadWord(0x4000), Is.EqualTo(ulong.MaxValue));
        Assert.That(machine.Clock.NextEventTime, Is.EqualTo(ulong.MaxValue));
    }

    [Test]
    public void UnmappedOffsetsReadZeroAndWarn()
    {
        var warnings = new List<string>();
        machine.Log.EntryLogged += e => warnings.Add(e.ToString());
        Assert.That(clint.ReadDoubleWord(0x8000), Is.EqualTo(0u));
        Assert.That(warnings, Has.Count.EqualTo(1));
    }
}
