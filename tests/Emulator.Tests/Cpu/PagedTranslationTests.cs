using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>
/// Translation under Sv39 (docs/translator.md): user and supervisor code at virtual 0x4000_0000 runs as translated
/// blocks, keyed by the physical page and checked against pc's current translation at every entry. Each program
/// runs interpreted and translated (TranslationTests.AssertSameBothWays: same registers, counts, CSRs, RAM) across
/// address-space switches (satp with another ASID), a remapped code page (PTE rewrite and sfence.vma),
/// self-modifying code written through a second virtual alias, and a fetch page fault at a page end.
/// </summary>
[TestFixture]
public class PagedTranslationTests
{
    private const int UserCode = 0x5B;        // V R X U A
    private const int UserData = 0xD7;        // V R W U A D
    private const int SupervisorCode = 0x4B;  // V R X A
    private const int SupervisorData = 0xC7;  // V R W A D

    // A loop over the data page at 0x4000_1000 with an if/else; returns its sum in a0 and ends with ecall.
    // 200 rounds: 50 take the first arm, 150 the second.
    private static string LoopPage(string label, int often, int rarely) => $$"""
            .section .text
            .balign 4096
        {{label}}:
            li a0, 0
            li t0, 200
            li t1, 0x40001000
        1:  ld t2, 0(t1)
            addi t2, t2, 1
            sd t2, 0(t1)
            andi t3, t0, 3
            beqz t3, 2f
            addi a0, a0, {{often}}
            j 3f
        2:  addi a0, a0, {{rarely}}
        3:  addi t0, t0, -1
            bnez t0, 1b
            ecall
        """;

    // Self-modifying: each round rewrites the `addi a0, a0, 1` at patch_site (through the alias at 0x4000_2000)
    // to add 3 on odd rounds and 1 on even ones, then fence.i: 100 rounds give 200.
    private const string SelfModifyingPage = """
            .section .text
            .balign 4096
        code_smc:
            li a0, 0
            li t0, 100
            la t4, patch_site        # pc-relative: its virtual address
            li t6, 0x2000
            add t4, t4, t6           # the same byte through the writable alias
        1:  andi t3, t0, 1
            li t5, 0x00150513
            beqz t3, 2f
            li t5, 0x00350513
        2:  sw t5, 0(t4)
            fence.i
        patch_site:
            addi a0, a0, 1
            addi t0, t0, -1
            bnez t0, 1b
            ecall
        """;

    // A loop that then runs off the end of its page into 0x4000_1000, which is not executable.
    private const string RunsOffItsPage = """
            .section .text.code_f, "ax"
            .balign 4096
        code_f:
            li a0, 0
            li t0, 300
        1:  addi a0, a0, 1
            addi t0, t0, -1
            bnez t0, 1b
            j near_end
            .org 0xFFC               # the section starts page-aligned: the last word of the page
        near_end:
            addi a0, a0, 2
        """;

    /// <summary>
    /// M-mode maps RAM's first GiB (gigapage, identity), and at 0x4000_0000 a code page, at 0x4000_1000 a data page,
    /// at 0x4000_2000 the code page again (writable); then runs `rounds` rounds in U- or S-mode, each entered
    /// with mret at 0x4000_0000 and ended by its ecall, adding a0 to s2. <paramref name="switchEachRound"/>
    /// alternates satp between two roots with ASIDs 1 and 2 (code_a / code_b); <paramref name="remapAt"/>
    /// rewrites the code PTE to code_b at that round, with sfence.vma.
    /// </summary>
    internal static string Program(bool user, string pages, int rounds, bool switchEachRound = false, int remapAt = -1,
        string codeA = "code_a", string codeB = "code_b")
    {
        var code = user ? UserCode : SupervisorCode;
        var data = user ? UserData : SupervisorData;
        var ecallCause = user ? 8 : 9;
        return $$"""
            .option push
            .align 2                 # before norvc: 4-byte nops cannot pad a 2-byte gap
            .option norvc
            .option norelax
            la t0, m_trap
            csrw mtvec, t0
            la a2, root
            la a3, level1
            la a4, level0
            la a5, {{codeA}}
            call build_tables
            la a2, root2
            la a3, level1b
            la a4, level0b
            la a5, {{codeB}}
            call build_tables
            li s2, 0
            li s3, {{rounds}}
        round:
            li t0, {{remapAt}}
            bne s3, t0, 1f
            la t3, level0
            la t2, {{codeB}}
            srli t2, t2, 12
            slli t2, t2, 10
            ori t2, t2, {{code}}
            sd t2, 0(t3)
            sfence.vma
        1:  la t1, root
            li t2, 1
            andi t0, s3, 1
            {{(switchEachRound ? "bnez t0, 2f\n    la t1, root2\n    li t2, 2" : "")}}
        2:  srli t1, t1, 12
            slli t2, t2, 44
            or t1, t1, t2
            li t3, 8 << 60
            or t1, t1, t3
            csrw satp, t1
            li t1, 0x1800
            csrc mstatus, t1
            {{(user ? "" : "li t1, 0x800\n    csrs mstatus, t1")}}
            li t1, 0x40000000
            csrw mepc, t1
            mret

            .align 2
        m_trap:
            csrr t0, mcause
            li t1, {{ecallCause}}
            bne t0, t1, unexpected
            add s2, s2, a0
            addi s3, s3, -1
            bnez s3, round
            csrw satp, zero
            j pass
        unexpected:
            mv s4, t0
            csrr s5, mepc
            csrr s6, mtval
            csrw satp, zero
            j pass

        # a2 = root, a3 = level1, a4 = level0, a5 = code page.
        build_tables:
            li t1, (0x80000000 >> 12) << 10 | 0xCF
            sd t1, 16(a2)
            srli t2, a3, 12
            slli t2, t2, 10
            ori t2, t2, 1
            sd t2, 8(a2)
            srli t2, a4, 12
            slli t2, t2, 10
            ori t2, t2, 1
            sd t2, 0(a3)
            srli t2, a5, 12
            slli t2, t2, 10
            ori t3, t2, {{code}}
            sd t3, 0(a4)
            ori t3, t2, {{data}}
            sd t3, 16(a4)
            la t2, data_page
            srli t2, t2, 12
            slli t2, t2, 10
            ori t2, t2, {{data}}
            sd t2, 8(a4)
            ret
        {{pages}}
            .option pop
            .section .data
            .align 12
        root: .space 4096
        level1: .space 4096
        level0: .space 4096
        root2: .space 4096
        level1b: .space 4096
        level0b: .space 4096
        data_page: .space 4096
            .section .text
        """;
    }

    private static Emulator.Peripherals.CPU.RiscV64 TranslatedHart(string program)
    {
        var t = new HartTestBench(program);
        // These runs check the translator itself, also where EMU_NO_TRANSLATION=1 turns it off by default.
        t.Machine.TranslationEnabled = true;
        t.Machine.Harts[0].TranslationThreshold = 1;
        t.RunToPass(20_000_000);
        return t.Machine.Harts[0];
    }

    internal static string TwoLoops => LoopPage("code_a", 1, 2) + "\n" + LoopPage("code_b", 5, 7);

    [TestCase(true)]
    [TestCase(false)]
    public void CodeUnderSv39IsTranslatedAndMatches(bool user)
    {
        var program = Program(user, TwoLoops, rounds: 10);
        var o = TranslationTests.AssertSameBothWays(program);
        Assert.That(o.State, Does.Contain(" x18=9C4 "), "10 rounds of code_a: 10 * 250");
        Assert.That(o.State, Does.Contain(" x20=0 "), "no unexpected trap");
        Assert.That(TranslatedHart(program).BlocksEnteredPaged, Is.GreaterThan(0UL), "paged code must run as blocks");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void SwitchingAddressSpacesRunsEachSpacesCode(bool user)
    {
        // The same virtual page is code_a under ASID 1 and code_b under ASID 2: 20 rounds of each.
        var o = TranslationTests.AssertSameBothWays(Program(user, TwoLoops, rounds: 40, switchEachRound: true));
        Assert.That(o.State, Does.Contain(" x18=6978 "), "20 * 250 + 20 * 1100");
        Assert.That(o.State, Does.Contain(" x20=0 "));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void InterpretedLoadsAndStoresUnderSv39HitTheTlbWithoutTheSlowPath(bool user)
    {
        // 10 rounds of 200 ld/sd pairs through the virtual data page, interpreted. Each round's satp write flushes
        // the TLB, so its first ld and first sd walk (the slow path); every other access must hit the TLB inline.
        var t = new HartTestBench(Program(user, TwoLoops, rounds: 10));
        t.Machine.TranslationEnabled = false;
        t.RunToPass(20_000_000);
        Assert.That(t.X(18), Is.EqualTo(0x9C4UL), "10 rounds of code_a: 10 * 250");
        Assert.That(t.X(20), Is.Zero, "no unexpected trap");
        Assert.That(t.Hart().SlowDataAccesses, Is.LessThanOrEqualTo(40UL), "4000 paged accesses, at most 2 walks a round and the tables' set-up");
    }

    [Test]
    public void RemappedCodePageRunsTheNewCode()
    {
        // After 20 rounds the PTE of 0x4000_0000 is pointed at code_b (sfence.vma): a block kept for the old
        // mapping would go on adding code_a's values.
        var o = TranslationTests.AssertSameBothWays(Program(true, TwoLoops, rounds: 40, remapAt: 20));
        Assert.That(o.State, Does.Contain(" x18=6978 "), "20 * 250 + 20 * 1100");
    }

    [Test]
    public void SelfModifyingCodeThroughAnAliasMatches()
    {
        var o = TranslationTests.AssertSameBothWays(Program(true, SelfModifyingPage, rounds: 3, codeA: "code_smc", codeB: "code_smc"));
        Assert.That(o.State, Does.Contain(" x18=258 "), "3 rounds of 200");
        Assert.That(o.BlocksDropped, Is.GreaterThan(0), "the stores through the alias must drop the block");
    }

    [Test]
    public void RunningOffTheCodePageIsAnExactFetchPageFault()
    {
        var o = TranslationTests.AssertSameBothWays(Program(false, RunsOffItsPage, rounds: 1, codeA: "code_f", codeB: "code_f"));
        Assert.That(o.State, Does.Contain(" x20=C "), "instruction page fault");
        Assert.That(o.State, Does.Contain(" x21=40001000 "), "mepc");
        Assert.That(o.State, Does.Contain(" x22=40001000 "), "mtval");
        Assert.That(o.State, Does.Contain(" x10=12E "), "300 + 2");
    }
}
