using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>
/// Block chaining (docs/translator.md): a loop whose body has an if/else stays inside one block (forward JALs do
/// not end it), and blocks of a loop spread over several blocks enter each other through successor links. Every
/// program runs interpreted and translated and must end in the same state (TranslationTests.AssertSameBothWays).
/// </summary>
[TestFixture]
public class ChainingTests
{
    // The shape of tests/bench/branchy-loop.S: 14 instructions, a mul, a data-dependent beqz over two 2-instruction arms.
    internal const string BranchyLoop = """
            li t0, 1
            li t1, 3
            li t2, 5
            li a1, 5000
            1:  mul t3, t0, t1
            addi t0, t0, 7
            xor t4, t3, t2
            andi t5, t4, 16
            beqz t5, 2f
            addi t1, t1, 3
            xor t2, t2, t4
            j 3f
            2:  addi t1, t1, 5
            sub t2, t2, t4
            3:  srli t6, t3, 7
            add t0, t0, t6
            addi a1, a1, -1
            bnez a1, 1b
            """;

    // A loop that calls a function on another page: the loop, the function and the return site are separate blocks.
    internal const string CallAcrossPages = """
            li s2, 0
            li s3, 3000
            1:  call far_function
            add s2, s2, a0
            addi s3, s3, -1
            bnez s3, 1b
            j pass
            .align 12
            far_function:
            addi a0, s3, 1
            andi a0, a0, 7
            ret
            """;

    [Test]
    public void BranchyLoopMatchesAndStaysInOneBlock()
    {
        var o = TranslationTests.AssertSameBothWays(BranchyLoop);
        Assert.That(o.State, Does.StartWith("stop=GuestExit"));
        // 5000 rounds: ending the block at `j 3f` would take at least two block entries per round.
        Assert.That(o.BlocksEntered, Is.LessThan(100UL), "the if/else loop must run inside one block");
    }

    [TestCase(41UL)]
    [TestCase(9_999UL)]
    [TestCase(33_333UL)]
    [TestCase(50_002UL)]
    public void BranchyLoopStopsAtTheSameInstruction(ulong limit)
    {
        var o = TranslationTests.AssertSameBothWays(BranchyLoop, maxInstructions: limit);
        Assert.That(o.State, Does.StartWith("stop=InstructionLimit"));
    }

    [Test]
    public void InterruptInsideTheBranchyLoopIsTakenAtTheSameInstruction()
    {
        // MTIP rises after 20,011 instructions, in the middle of the loop; the handler records mepc and the state.
        TranslationTests.AssertSameBothWays("""
            la t0, handler
            csrw mtvec, t0
            li t0, 0x80
            csrw mie, t0
            csrsi mstatus, 8
            """ + "\n" + BranchyLoop + "\n" + """
            j pass
            .align 2
            handler:
            csrr s3, mepc
            mv s4, a1
            li t0, 0x80
            csrc mie, t0
            mret
            """, run: t =>
        {
            t.Machine.Run(new RunLimits(20_011));
            t.Hart().OnGPIO(7, true);
            return t.Machine.Run(new RunLimits(200_000));
        });
    }

    [Test]
    public void BlocksOfALoopEnterEachOtherThroughLinks()
    {
        var o = TranslationTests.Run(CallAcrossPages, translate: true);
        var interpreted = TranslationTests.Run(CallAcrossPages, translate: false);
        Assert.That(o.State, Is.EqualTo(interpreted.State));
        var hart = LinkedRun(CallAcrossPages);
        Assert.That(hart.BlocksEntered, Is.GreaterThan(6000UL));
        Assert.That(hart.BlocksEnteredByLink, Is.GreaterThan(hart.BlocksEntered * 9 / 10), "chained blocks must not go through the page look-up");
    }

    [Test]
    public void StoreIntoALinkedSuccessorDropsItAndTheNewCodeRuns()
    {
        // The loop calls a function on another page through a link; every 100 rounds it rewrites the function's
        // first instruction (addi a0, zero, 1 <-> addi a0, zero, 2). A stale link would keep running the old code.
        const string program = """
            .option push
            .option norvc
            li s2, 0
            li s3, 1000
            la s4, patched
            la s5, one
            la s6, two
            1:  call patched
            add s2, s2, a0
            li t0, 100
            remu t0, s3, t0
            bnez t0, 3f
            andi t0, s3, 0x100
            beqz t0, 2f
            lw t1, 0(s5)
            sw t1, 0(s4)
            j 3f
            2:  lw t1, 0(s6)
            sw t1, 0(s4)
            3:  addi s3, s3, -1
            bnez s3, 1b
            j pass
            .pushsection .data
            .align 2
            one: .word 0x00100513    # addi a0, zero, 1
            two: .word 0x00200513    # addi a0, zero, 2
            .popsection
            .align 12
            patched:
            addi a0, zero, 1
            ret
            .option pop
            """;
        var o = TranslationTests.AssertSameBothWays(program);
        Assert.That(o.BlocksDropped, Is.GreaterThan(0), "the rewritten function's block must be dropped");
        // 301 rounds return 1, 200 return 2, 300 return 1, 199 return 2.
        Assert.That(o.State, Does.Contain(" x18=577 "));
        var hart = LinkedRun(program);
        Assert.That(hart.BlocksEnteredByLink, Is.GreaterThan(0UL));
    }

    private static Emulator.Peripherals.CPU.RiscV64 LinkedRun(string body)
    {
        var t = new HartTestBench(body);
        // These runs check the translator itself, also where EMU_NO_TRANSLATION=1 turns it off by default.
        t.Machine.TranslationEnabled = true;
        t.Machine.Harts[0].TranslationThreshold = 1;
        t.RunToPass();
        return t.Machine.Harts[0];
    }
}
