using System.Reflection;
using Emulator.Peripherals.CPU;
using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>The virtual clock is read from other threads (testers) while harts run.</summary>
[TestFixture]
public class ClockReadTests
{
    [Test]
    public void ASliceStartCaughtAheadOfTheCountReadsAsNoProgressNotAWrapAround()
    {
        // The state another thread can observe between BeginSlice's write and the count it compares with.
        var hart = new RiscV64("rv64imac");
        typeof(RiscV64).GetField("sliceStartExecuted", BindingFlags.NonPublic | BindingFlags.Instance)!.SetValue(hart, 1000UL);
        typeof(RiscV64).GetField("executedTotal", BindingFlags.NonPublic | BindingFlags.Instance)!.SetValue(hart, 900UL);
        Assert.That(hart.NanosecondsIntoSlice, Is.Zero);
    }

    [Test]
    public void ProgressIsInstructionsOverPerformance()
    {
        var hart = new RiscV64("rv64imac") { PerformanceInMips = 100 };
        typeof(RiscV64).GetField("sliceStartExecuted", BindingFlags.NonPublic | BindingFlags.Instance)!.SetValue(hart, 1000UL);
        typeof(RiscV64).GetField("executedTotal", BindingFlags.NonPublic | BindingFlags.Instance)!.SetValue(hart, 1500UL);
        Assert.That(hart.NanosecondsIntoSlice, Is.EqualTo(5000UL));
    }
}
