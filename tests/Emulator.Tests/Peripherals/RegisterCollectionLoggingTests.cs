using Emulator.Logging;
using Emulator.Peripherals.IRQControllers;
using NUnit.Framework;

namespace Emulator.Tests.Peripherals;

/// <summary>Unhandled register offsets read zero and log a warning naming the peripheral, as in Renode.</summary>
[TestFixture]
public class RegisterCollectionLoggingTests
{
    [Test]
    public void UnhandledClintOffsetsReadZeroAndAreLogged()
    {
        var machine = new Machine();
        var clint = new CoreLevelInterruptor(machine, 10_000_000, 1);
        machine.Register("clint", clint);
        var entries = new List<LogEntry>();
        machine.Log.EntryLogged += entries.Add;
        Assert.That(clint.ReadDoubleWord(0x3000), Is.Zero);
        clint.WriteDoubleWord(0x3004, 7);
        Assert.That(entries.Select(e => e.ToString()), Has.Some.Contains("clint: read from unhandled offset 0x3000"));
        Assert.That(entries.Select(e => e.ToString()), Has.Some.Contains("clint: write of 0x7 to unhandled offset 0x3004"));
        Assert.That(entries.All(e => e.Level == LogLevel.Warning));
    }
}
