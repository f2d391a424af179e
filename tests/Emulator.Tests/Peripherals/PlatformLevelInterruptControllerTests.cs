using Emulator.Peripherals.IRQControllers;
using NUnit.Framework;

namespace Emulator.Tests.Peripherals;

public class PlatformLevelInterruptControllerTests
{
    private const long Pending = 0x1000;
    private Machine machine = null!;
    private PlatformLevelInterruptController plic = null!;
    private RecordingReceiver hart0 = null!;
    private RecordingReceiver hart1 = null!;

    private static long Enable(int context) => 0x2000 + 0x80 * context;

    private static long Threshold(int context) => 0x200000 + 0x1000 * context;

    private static long Claim(int context) => 0x200004 + 0x1000 * context;

    [SetUp]
    public void SetUp()
    {
        machine = new Machine();
        plic = new PlatformLevelInterruptController(machine, numberOfSources: 53, numberOfContexts: 4);
        hart0 = new RecordingReceiver();
        hart1 = new RecordingReceiver();
        plic.Connections[0].Connect(hart0, 11);
        plic.Connections[1].Connect(hart0, 9);
        plic.Connections[2].Connect(hart1, 11);
        plic.Connections[3].Connect(hart1, 9);
    }

    [Test]
    public void OutputsAreContextsAndSizeIsRenodes()
    {
        Assert.That(plic.Connections.Keys, Is.EquivalentTo(new[] { 0, 1, 2, 3 }));
        Assert.That(plic.Size, Is.EqualTo(0x4000000));
    }

    [Test]
    public void RaisedSourceIsPendingAndInterruptsAContextThatEnablesIt()
    {
        plic.OnGPIO(10, true);
        Assert.That(plic.ReadDoubleWord(Pending), Is.EqualTo(1u << 10));
        Assert.That(hart0[11], Is.False);
        plic.WriteDoubleWord(Enable(0), 1u << 10);
        Assert.That(hart0[11], Is.True);
        Assert.That(hart0[9], Is.False);
        Assert.That(hart1[11], Is.False);
        Assert.That(plic.ReadDoubleWord(Enable(0)), Is.EqualTo(1u << 10));
    }

    [Test]
    public void PendingFollowsTheLevelWhileUnclaimed()
    {
        plic.WriteDoubleWord(Enable(0), 1u << 10);
        plic.OnGPIO(10, true);
        plic.OnGPIO(10, false);
        Assert.That(plic.ReadDoubleWord(Pending), Is.EqualTo(0u));
        Assert.That(hart0[11], Is.False);
    }

    [Test]
    public void ThresholdMasksPrioritiesAtOrBelowIt()
    {
        plic.WriteDoubleWord(4 * 10, 3);
        plic.WriteDoubleWord(Enable(0), 1u << 10);
        plic.WriteDoubleWord(Threshold(0), 3);
        plic.OnGPIO(10, true);
        Assert.That(plic.ReadDoubleWord(Threshold(0)), Is.EqualTo(3u));
        Assert.That(hart0[11], Is.False);
        Assert.That(plic.ReadDoubleWord(Claim(0)), Is.EqualTo(0u), "a masked source cannot be claimed");
        plic.WriteDoubleWord(Threshold(0), 2);
        Assert.That(hart0[11], Is.True);
    }

    [Test]
    public void ClaimTakesHighestPriorityThenLowestIdAndCompleteRepends()
    {
        plic.WriteDoubleWord(Enable(0), (1u << 5) | (1u << 7) | (1u << 9));
        plic.WriteDoubleWord(Enable(0) + 4, 1u << (40 - 32));
        plic.WriteDoubleWord(4 * 5, 2);
        plic.WriteDoubleWord(4 * 7, 2);
        plic.WriteDoubleWord(4 * 9, 1);
        plic.WriteDoubleWord(4 * 40, 2);
        foreach (var source in new[] { 5, 7, 9, 40 })
        {
            plic.OnGPIO(source, true);
        }
        Assert.That(plic.ReadDoubleWord(Pending + 4), Is.EqualTo(1u << 8));
        Assert.That(plic.ReadDoubleWord(Claim(0)), Is.EqualTo(5u));
        Assert.That(plic.ReadDoubleWord(Claim(0)), Is.EqualTo(7u));
        Assert.That(plic.ReadDoubleWord(Claim(0)), Is.EqualTo(40u));
        Assert.That(plic.ReadDoubleWord(Claim(0)), Is.EqualTo(9u));
        Assert.That(plic.ReadDoubleWord(Claim(0)), Is.EqualTo(0u));
        Assert.That(hart0[11], Is.False, "everything is claimed");

        plic.OnGPIO(7, false);
        plic.WriteDoubleWord(Claim(0), 7);
        Assert.That(plic.IsPending(7), Is.False, "a low input does not re-pend");
        plic.WriteDoubleWord(Claim(0), 5);
        Assert.That(plic.IsPending(5), Is.True, "a still-high input pends again on completion");
        Assert.That(hart0[11], Is.True);
    }

    [Test]
    public void AClaimedSourceIsHeldOffUntilCompletion()
    {
        plic.WriteDoubleWord(Enable(0), 1u << 3);
        plic.OnGPIO(3, true);
        Assert.That(plic.ReadDoubleWord(Claim(0)), Is.EqualTo(3u));
        plic.OnGPIO(3, false);
        plic.OnGPIO(3, true);
        Assert.That(plic.IsPending(3), Is.False);
        Assert.That(hart0[11], Is.False);
    }

    [Test]
    public void PendingIsGlobalSoAClaimByOneContextClearsItForAll()
    {
        plic.WriteDoubleWord(Enable(0), 1u << 10);
        plic.WriteDoubleWord(Enable(2), 1u << 10);
        plic.OnGPIO(10, true);
        Assert.That(hart0[11] && hart1[11], Is.True);
        Assert.That(plic.ReadDoubleWord(Claim(2)), Is.EqualTo(10u));
        Assert.That(hart0[11], Is.False);
        Assert.That(hart1[11], Is.False);
        Assert.That(plic.ReadDoubleWord(Claim(0)), Is.EqualTo(0u));
    }

    [Test]
    public void CompletionFromAContextThatDoesNotEnableTheSourceIsIgnored()
    {
        plic.WriteDoubleWord(Enable(0), 1u << 10);
        plic.OnGPIO(10, true);
        Assert.That(plic.ReadDoubleWord(Claim(0)), Is.EqualTo(10u));
        plic.WriteDoubleWord(Claim(2), 10);
        Assert.That(plic.IsPending(10), Is.False, "still claimed");
        plic.WriteDoubleWord(Claim(0), 10);
        Assert.That(plic.IsPending(10), Is.True);
    }

    [Test]
    public void PrioritiesAreThreeBitsWithSourceZeroFixedAtZero()
    {
        plic.WriteDoubleWord(4 * 1, 0xFF);
        Assert.That(plic.ReadDoubleWord(4 * 1), Is.EqualTo(7u));
        Assert.That(plic.ReadDoubleWord(4 * 2), Is.EqualTo(1u), "power-on priority is 1, as in Renode");
        plic.WriteDoubleWord(0, 5);
        Assert.That(plic.ReadDoubleWord(0), Is.EqualTo(0u));
        plic.WriteDoubleWord(Enable(0), 0xFFFF_FFFF);
        Assert.That(plic.ReadDoubleWord(Enable(0)) & 1, Is.EqualTo(0u), "source 0 does not exist");
        plic.WriteDoubleWord(Enable(0) + 4, 0xFFFF_FFFF);
        Assert.That(plic.ReadDoubleWord(Enable(0) + 4), Is.EqualTo((1u << (53 - 32 + 1)) - 1), "only sources up to 53");
    }

    [Test]
    public void ZeroPriorityNeverInterrupts()
    {
        plic.WriteDoubleWord(4 * 10, 0);
        plic.WriteDoubleWord(Enable(0), 1u << 10);
        plic.OnGPIO(10, true);
        Assert.That(hart0[11], Is.False);
    }

    [Test]
    public void WithPrioritiesDisabledAllSourcesHavePriorityOne()
    {
        var fixedPriorities = new PlatformLevelInterruptController(machine, 8, 1, prioritiesEnabled: false);
        fixedPriorities.WriteDoubleWord(4 * 3, 0);
        Assert.That(fixedPriorities.ReadDoubleWord(4 * 3), Is.EqualTo(1u));
    }

    [Test]
    public void NonexistentSourcesAreIgnoredWithAWarning()
    {
        var warnings = new List<string>();
        machine.Log.EntryLogged += e => warnings.Add(e.Message);
        plic.OnGPIO(0, true);
        plic.OnGPIO(54, true);
        Assert.That(warnings, Has.Count.EqualTo(2));
        Assert.That(plic.ReadDoubleWord(Pending), Is.EqualTo(0u));
    }

    [Test]
    public void ResetClearsEnablesThresholdsAndClaims()
    {
        plic.WriteDoubleWord(Enable(0), 1u << 10);
        plic.WriteDoubleWord(Threshold(0), 4);
        plic.OnGPIO(10, true);
        plic.Reset();
        Assert.That(plic.ReadDoubleWord(Enable(0)), Is.EqualTo(0u));
        Assert.That(plic.ReadDoubleWord(Threshold(0)), Is.EqualTo(0u));
        Assert.That(plic.IsPending(10), Is.True, "the input is still high");
        Assert.That(hart0[11], Is.False);
    }
}
