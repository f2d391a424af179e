using Emulator.MemoryModels;
using Emulator.Scheduling;
using Emulator.Tests.Cpu;
using NUnit.Framework;

namespace Emulator.Tests.Exploration;

/// <summary>
/// The RVWMO memory model: store buffering and store-store reordering appear where RVWMO allows them and
/// never under SC; fences, atomics and device accesses order what they must.
/// </summary>
[TestFixture]
public class RvwmoTests
{
    // Two harts, each with its own code; a1 holds what each observed. Hart 0 ends the run after both are done.
    private static string TwoHarts(string hart0, string hart1) => $"""
            csrr a0, mhartid
            la s0, x
            la s1, y
            la s2, done
            li t0, 1
            li t1, 2
            bnez a0, 5f
        {hart0}
            j 6f
        5:
        {hart1}
        6:  li t4, 1
            amoadd.d zero, t4, (s2)
            bnez a0, 8f
        7:  ld t5, 0(s2)
            li t6, 2
            bne t5, t6, 7b
            j pass
        8:  j 8b
            .section .data
            .align 12
        x: .dword 0
        y: .dword 0
        done: .dword 0
            .section .text
        """;

    private static int CountOutcome(string program, MemoryModelKind model, int seeds, Func<HartTestBench, bool> outcome)
    {
        var found = 0;
        for (var seed = 1; seed <= seeds; seed++)
        {
            var t = new HartTestBench(program, harts: 2);
            t.Machine.Schedule = SchedulePolicy.Parse("random:3");
            t.Machine.Seed = seed;
            t.Machine.MemoryModel = model;
            t.RunToPass(1_000_000);
            if (outcome(t))
            {
                found++;
            }
        }
        return found;
    }

    // SB: x=1; r=y || y=1; r=x. Both zero needs a store to wait behind a later load.
    private static readonly string StoreBuffering = TwoHarts("sw t0, 0(s0)\n lw a1, 0(s1)", "sw t0, 0(s1)\n lw a1, 0(s0)");
    private static readonly string StoreBufferingFenced = TwoHarts("sw t0, 0(s0)\n fence w,r\n lw a1, 0(s1)", "sw t0, 0(s1)\n fence rw,rw\n lw a1, 0(s0)");
    private static readonly string StoreBufferingAmo = TwoHarts("amoswap.w.aqrl zero, t0, (s0)\n lw a1, 0(s1)", "sw t0, 0(s1)\n amoadd.w.aqrl zero, zero, (s2)\n lw a1, 0(s0)");

    // Without .aq, an AMO does not order the loads after it (RVWMO's rule 5): the same shape may end with both zero.
    private static readonly string StoreBufferingPlainAmo = TwoHarts("amoswap.w zero, t0, (s0)\n lw a1, 0(s1)", "sw t0, 0(s1)\n amoadd.w zero, zero, (s2)\n lw a1, 0(s0)");

    private static bool BothZero(HartTestBench t) => t.X(11, 0) == 0 && t.X(11, 1) == 0;

    [Test]
    public void StoreBufferingAppearsUnderRvwmoOnly()
    {
        Assert.That(CountOutcome(StoreBuffering, MemoryModelKind.Rvwmo, 60, BothZero), Is.GreaterThan(0));
        Assert.That(CountOutcome(StoreBuffering, MemoryModelKind.Sc, 60, BothZero), Is.Zero);
    }

    [Test]
    public void FencesAndAtomicsForbidStoreBuffering()
    {
        Assert.That(CountOutcome(StoreBufferingFenced, MemoryModelKind.Rvwmo, 200, BothZero), Is.Zero);
        Assert.That(CountOutcome(StoreBufferingAmo, MemoryModelKind.Rvwmo, 200, BothZero), Is.Zero);
        Assert.That(CountOutcome(StoreBufferingPlainAmo, MemoryModelKind.Rvwmo, 200, BothZero), Is.GreaterThan(0));
    }

    // MP: x=1; y=1 || r1=y; r2=x. r1=1, r2=0 needs the two stores reordered.
    private static readonly string MessagePassing = TwoHarts("sw t0, 0(s0)\n sw t0, 0(s1)", "lw a1, 0(s1)\n lw a2, 0(s0)");
    private static readonly string MessagePassingFenced = TwoHarts("sw t0, 0(s0)\n fence w,w\n sw t0, 0(s1)", "lw a1, 0(s1)\n fence r,r\n lw a2, 0(s0)");
    private static readonly string MessagePassingTso = TwoHarts("sw t0, 0(s0)\n fence.tso\n sw t0, 0(s1)", "lw a1, 0(s1)\n fence.tso\n lw a2, 0(s0)");
    private static readonly string MessagePassingRelease = TwoHarts("sw t0, 0(s0)\n amoswap.w.rl zero, t0, (s1)", "amoor.w.aq a1, zero, (s1)\n lw a2, 0(s0)");

    private static bool FlagWithoutData(HartTestBench t) => t.X(11, 1) == 1 && t.X(12, 1) == 0;

    [Test]
    public void StoreStoreReorderingAppearsUnderRvwmoOnly()
    {
        Assert.That(CountOutcome(MessagePassing, MemoryModelKind.Rvwmo, 150, FlagWithoutData), Is.GreaterThan(0));
        Assert.That(CountOutcome(MessagePassing, MemoryModelKind.Sc, 150, FlagWithoutData), Is.Zero);
    }

    [Test]
    public void FenceWwFenceTsoAndReleaseAcquireForbidMessagePassingReordering()
    {
        Assert.That(CountOutcome(MessagePassingFenced, MemoryModelKind.Rvwmo, 200, FlagWithoutData), Is.Zero);
        Assert.That(CountOutcome(MessagePassingTso, MemoryModelKind.Rvwmo, 200, FlagWithoutData), Is.Zero);
        Assert.That(CountOutcome(MessagePassingRelease, MemoryModelKind.Rvwmo, 200, FlagWithoutData), Is.Zero);
    }

    // MP with the stores ordered (fence w,w): r1=1, r2=0 now needs the reader's second load to read an older
    // value than its first (load-load reordering), which RVWMO allows unless something orders the two loads.
    private static string OrderedWriterReader(string between) =>
        TwoHarts("sw t0, 0(s0)\n fence w,w\n sw t0, 0(s1)", $"lw a1, 0(s1)\n {between}\n lw a2, 0(s0)");

    [TestCase("nop")]
    [TestCase("fence w,r")]
    [TestCase("fence r,w")]
    [TestCase("fence w,w")]
    [TestCase("beqz a1, 9f\n 9:")]
    [TestCase("amoor.w zero, zero, (s2)")]
    public void LoadLoadReorderingAppearsUnderRvwmoOnly(string between)
    {
        // Neither a fence without R before R, nor a control dependency, nor an atomic without .aq orders two loads.
        Assert.That(CountOutcome(OrderedWriterReader(between), MemoryModelKind.Rvwmo, 200, FlagWithoutData), Is.GreaterThan(0));
        Assert.That(CountOutcome(OrderedWriterReader(between), MemoryModelKind.Sc, 100, FlagWithoutData), Is.Zero);
    }

    [TestCase("fence r,r")]
    [TestCase("fence r,rw")]
    [TestCase("fence rw,r")]
    [TestCase("fence rw,rw")]
    [TestCase("fence.tso")]
    [TestCase("fence i,r")]
    [TestCase("amoor.w.aq zero, zero, (s2)")]
    [TestCase("lr.w.aq t3, (s2)")]
    public void FencesWithRBeforeRAndAcquiresKeepLoadsInOrder(string between)
    {
        Assert.That(CountOutcome(OrderedWriterReader(between), MemoryModelKind.Rvwmo, 300, FlagWithoutData), Is.Zero);
    }

    // The second load's address is computed from the first load's value (through xor, add and a shift): the
    // address dependency orders them, and the register views must follow it through every ALU operation.
    [TestCase("xor t2, a1, a1\n add t3, s0, t2\n lw a2, 0(t3)")]
    [TestCase("andi t2, a1, 0\n slli t2, t2, 3\n or t3, s0, t2\n lw a2, 0(t3)")]
    [TestCase("csrw mscratch, a1\n csrr t2, mscratch\n sub t2, t2, a1\n add t3, s0, t2\n lw a2, 0(t3)")]
    public void AnAddressDependencyKeepsLoadsInOrder(string dependentLoad)
    {
        var program = TwoHarts("sw t0, 0(s0)\n fence w,w\n sw t0, 0(s1)", $"lw a1, 0(s1)\n {dependentLoad}");
        Assert.That(CountOutcome(program, MemoryModelKind.Rvwmo, 300, FlagWithoutData), Is.Zero);
    }

    // The same shape with the dependency broken (the address no longer comes from the first load) reorders.
    [Test]
    public void AnOverwrittenAddressRegisterNoLongerOrders()
    {
        var program = TwoHarts("sw t0, 0(s0)\n fence w,w\n sw t0, 0(s1)", "lw a1, 0(s1)\n xor t2, a1, a1\n li t2, 0\n add t3, s0, t2\n lw a2, 0(t3)");
        Assert.That(CountOutcome(program, MemoryModelKind.Rvwmo, 200, FlagWithoutData), Is.GreaterThan(0));
    }

    // CoRR: x goes 0 -> 1 -> 2; a hart's successive loads of x never see it go back, though each may read an old value.
    // (The seen sets of MemoryHistory: without them, a load could read any value its view floor allows.)
    [Test]
    public void LoadsOfOneAddressNeverGoBackInTime()
    {
        var program = TwoHarts("sw t0, 0(s0)\n sw t1, 0(s0)", "lw a1, 0(s0)\n lw a2, 0(s0)\n lw a3, 0(s0)");
        for (var seed = 1; seed <= 300; seed++)
        {
            var t = new HartTestBench(program, harts: 2);
            t.Machine.Schedule = SchedulePolicy.Parse("random:3");
            t.Machine.Seed = seed;
            t.Machine.MemoryModel = MemoryModelKind.Rvwmo;
            t.RunToPass(1_000_000);
            var (a1, a2, a3) = (t.X(11, 1), t.X(12, 1), t.X(13, 1));
            Assert.That(a1 <= a2 && a2 <= a3, Is.True, $"seed {seed}: {a1}, {a2}, {a3}");
        }
    }

    // CoWR with mixed widths (issue 13, the guest's msgport_null pattern): hart 0 writes the low word of x three
    // times, a doubleword of zero (memset) and two narrower stores, then reads the word; hart 1 stores 7 into the
    // same word once and writes the high word with several narrow stores (more values than the history keeps).
    // The load may read 7 only if hart 1's store is coherence-after hart 0's last one (then x ends as 7), never
    // 0, 5 or a 7 that hart 0's stores overwrote. Between the stores and the load hart 0 may also write 5,000
    // other doublewords, more than MemoryHistory's table holds, so x's history (and hart 0's place in it) is evicted.
    private const string EvictHistory = """
            la t3, spill
            li t4, 5000
        3:  sd t4, 0(t3)
            addi t3, t3, 8
            addi t4, t4, -1
            bnez t4, 3b
        """;

    [TestCase("", TestName = "CoWrHoldsForSubDoublewordStoresIntoAGranuleAnotherHartWrites")]
    [TestCase("sw t0, 4(s0)\n sw t1, 4(s0)\n sw t0, 4(s0)\n sw t1, 4(s0)\n sw t0, 4(s0)", TestName = "CoWrHoldsWhenTheHartsOwnStoreLeavesTheFourDeepHistory")]
    [TestCase(EvictHistory, TestName = "CoWrHoldsWhenTheGranuleIsEvictedFromTheHistoryTable")]
    public void CoWrHoldsForMixedWidthStores(string beforeLoad)
    {
        var hart0 = "sd zero, 0(s0)\n li t2, 5\n sw t2, 0(s0)\n li t2, 6\n sh t2, 0(s0)\n" + beforeLoad + "\n lw a1, 0(s0)";
        var hart1 = "li t2, 7\n sb t0, 4(s0)\n sw t2, 0(s0)\n sh t1, 4(s0)\n sb t0, 5(s0)\n sh t1, 6(s0)\n sw t0, 4(s0)\n lw a1, 0(s0)";
        var program = TwoHarts(hart0, hart1) + "\n .section .data\n .align 3\n spill: .space 40000\n .section .text\n";
        var sawOtherHartsStore = 0;
        for (var seed = 1; seed <= 150; seed++)
        {
            var t = new HartTestBench(program, harts: 2);
            t.Machine.Schedule = SchedulePolicy.Parse("random:3");
            t.Machine.Seed = seed;
            t.Machine.MemoryModel = MemoryModelKind.Rvwmo;
            t.RunToPass(2_000_000);
            var read = t.X(11, 0);
            var final = t.Ram.ReadDoubleWord((long)(t.Symbol("x") - HartTestBench.RamBase));
            Assert.That(read == 6 || (read == 7 && final == 7), Is.True, $"seed {seed}: hart 0 read {read:x}, x ends as {final:x}");
            if (read == 7)
            {
                sawOtherHartsStore++;
            }
        }
        // The load is not simply kept at hart 0's own value: the other hart's later store is visible to it.
        Assert.That(sawOtherHartsStore, Is.GreaterThan(0));
    }

    // The writer's own store to x is what a FENCE W,R orders later loads after: they can no longer read y from
    // before the other hart's store to y once that store is older than this hart's store to x (SB+fence.w.r).
    [Test]
    public void FenceWrOrdersLaterLoadsAfterTheHartsOwnStores()
    {
        var program = TwoHarts("sw t0, 0(s0)\n fence w,r\n lw a1, 0(s1)", "sw t0, 0(s1)\n fence w,r\n lw a1, 0(s0)");
        Assert.That(CountOutcome(program, MemoryModelKind.Rvwmo, 300, BothZero), Is.Zero);
    }

    // A hart sees its own buffered stores at once, whole or in part (store-to-load forwarding).
    [Test]
    public void LoadsForwardFromTheHartsOwnStores()
    {
        var t = new HartTestBench("""
                la s0, x
                li t0, 0x1122334455667788
                sd t0, 0(s0)
                li t1, 0xAB
                sb t1, 2(s0)
                ld a1, 0(s0)
                lhu a2, 2(s0)
                j pass
                .section .data
                .align 3
            x: .dword 0
                .section .text
            """);
        t.Machine.MemoryModel = MemoryModelKind.Rvwmo;
        t.RunToPass();
        Assert.That(t.X(11), Is.EqualTo(0x1122334455AB7788UL));
        Assert.That(t.X(12), Is.EqualTo(0x55ABUL));
    }

    // 2 harts x 200 AMO and 200 LR/SC increments, with plain stores to the other half of each doubleword in between:
    // atomics act on memory after the hart's buffered stores.
    [Test]
    public void AtomicsStayAtomicWithBufferedStores()
    {
        static string Increments(int label) => $"""
                li t2, 200
            {label}:  amoadd.w zero, t0, (s0)
                sw t2, 4(s0)
            {label + 1}:  lr.w t3, (s1)
                addi t3, t3, 1
                sc.w t4, t3, (s1)
                bnez t4, {label + 1}b
                sw t2, 4(s1)
                addi t2, t2, -1
                bnez t2, {label}b
            """;
        var program = TwoHarts(Increments(1), Increments(3));
        for (var seed = 1; seed <= 10; seed++)
        {
            var t = new HartTestBench(program, harts: 2);
            t.Machine.Schedule = SchedulePolicy.Parse("random:3");
            t.Machine.Seed = seed;
            t.Machine.MemoryModel = MemoryModelKind.Rvwmo;
            t.RunToPass(2_000_000);
            Assert.That(t.Machine.SystemBus.ReadDoubleWord(t.Symbol("x")), Is.EqualTo(400), $"AMO increments, seed {seed}");
            Assert.That(t.Machine.SystemBus.ReadDoubleWord(t.Symbol("y")), Is.EqualTo(400), $"LR/SC increments, seed {seed}");
        }
    }

    [Test]
    public void RvwmoRunsInterpretedAndScKeepsTranslating()
    {
        var program = """
                li t0, 200000
            1:  addi t0, t0, -1
                bnez t0, 1b
            """;
        var sc = new HartTestBench(program);
        // Explicitly on, so that the comparison holds under EMU_NO_TRANSLATION=1 too.
        sc.Machine.TranslationEnabled = true;
        sc.RunToPass(2_000_000);
        Assert.That(sc.Hart().BlocksEntered, Is.GreaterThan(0));
        var weak = new HartTestBench(program);
        weak.Machine.TranslationEnabled = true;
        weak.Machine.MemoryModel = MemoryModelKind.Rvwmo;
        weak.RunToPass(2_000_000);
        Assert.That(weak.Hart().BlocksEntered, Is.Zero);
        Assert.That(weak.X(5), Is.Zero, "the loop ran to its end");
    }
}
