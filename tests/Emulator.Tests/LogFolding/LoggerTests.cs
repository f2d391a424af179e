using Emulator.Logging;
using NUnit.Framework;

namespace Emulator.Tests.LogFolding;

/// <summary>A guest stuck in a loop must not flood the log with one identical warning per access.</summary>
[TestFixture]
public class LoggerTests
{
    [Test]
    public void IdenticalConsecutiveWarningsAreFoldedIntoACount()
    {
        var log = new Logger();
        var entries = new List<LogEntry>();
        log.EntryLogged += entries.Add;
        for (var i = 0; i < 1000; i++)
        {
            log.Warning("sysbus", "read32 from non-existing peripheral at 0x904");
        }
        log.Warning("sysbus", "read32 from non-existing peripheral at 0x908");
        Assert.That(entries.Select(e => e.Message), Is.EqualTo(new[]
        {
            "read32 from non-existing peripheral at 0x904",
            "... repeated 999 times",
            "read32 from non-existing peripheral at 0x908",
        }));
        Assert.That(entries[1].Source, Is.EqualTo("sysbus"));
        Assert.That(entries[1].Level, Is.EqualTo(LogLevel.Warning));
    }

    [Test]
    public void TheCountIsLoggedWhenARunEnds()
    {
        var machine = new Machine();
        var entries = new List<LogEntry>();
        machine.Log.EntryLogged += entries.Add;
        machine.Log.Warning("uart0", "same");
        machine.Log.Warning("uart0", "same");
        machine.Log.Warning("uart0", "same");
        Assert.That(entries, Has.Count.EqualTo(1));
        machine.Run(new RunLimits(1, 1));
        Assert.That(entries.Select(e => e.Message), Is.EqualTo(new[] { "same", "... repeated 2 times" }));
    }

    [Test]
    public void DifferentWarningsAndInfoEntriesAreNotFolded()
    {
        var log = new Logger();
        var entries = new List<LogEntry>();
        log.EntryLogged += entries.Add;
        log.Info("finisher", "x");
        log.Info("finisher", "x");
        log.Warning("a", "m");
        log.Warning("b", "m");
        log.Warning("b", "n");
        Assert.That(entries, Has.Count.EqualTo(5));
    }
}
