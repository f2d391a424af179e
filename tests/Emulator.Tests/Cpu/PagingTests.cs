using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>Sv39: translation, permissions, page faults with the virtual address, A/D updates, sfence.vma.</summary>
[TestFixture]
public class PagingTests
{
    // Identity-maps the first GiB of RAM (0x8000_0000) with a gigapage and maps virtual 0x4000_0000 to
    // `data_page` through a 4 KiB leaf whose flags come from a1. Then drops to S-mode at `s_code`.
    // Shared with TranslationTests.
    internal const string Setup = """
            la t0, m_handler
            csrw mtvec, t0
            la t0, root
            # root[2] = gigapage 0x80000000, RWX, A, D, V
            li t1, (0x80000000 >> 12) << 10 | 0xCF
            sd t1, 16(t0)
            # root[1] -> level1 table (vpn2 = 1 for 0x40000000)
            la t2, level1
            srli t2, t2, 12
            slli t2, t2, 10
            ori t2, t2, 1
            sd t2, 8(t0)
            la t3, level1
            la t2, level0
            srli t2, t2, 12
            slli t2, t2, 10
            ori t2, t2, 1
            sd t2, 0(t3)
            la t3, level0
            la t2, data_page
            srli t2, t2, 12
            slli t2, t2, 10
            or t2, t2, a1
            sd t2, 0(t3)
            # satp = Sv39 | root ppn
            la t0, root
            srli t0, t0, 12
            li t1, 8 << 60
            or t0, t0, t1
            csrw satp, t0
            sfence.vma
            la t0, s_code
            csrw mepc, t0
            li t1, 0x1800
            csrc mstatus, t1
            li t1, 0x0800
            csrs mstatus, t1
            mret
            .align 2
        m_handler:
            csrr a5, mcause
            csrr a6, mtval
            j pass
        """;

    internal const string Tables = """
            .section .data
            .align 12
        root: .space 4096
        level1: .space 4096
        level0: .space 4096
        data_page: .dword 0x1234, 0
            .section .text
        """;

    [Test]
    public void SupervisorReadsThroughATranslatedPageAndSetsAccessedAndDirty()
    {
        var t = new HartTestBench("li a1, 0x7  # V R W, A and D clear\n" + Setup + "\n" + """
        s_code:
            li t0, 0x40000000
            ld a2, 0(t0)
            li t1, 77
            sd t1, 8(t0)
            la t2, level0
            ld a3, 0(t2)             # the leaf PTE with A and D set by the walk
            ecall
        """ + "\n" + Tables).RunToPass();
        Assert.That(t.X(12), Is.EqualTo(0x1234UL));
        Assert.That(t.X(13) & 0xC0, Is.EqualTo(0xC0UL), "A and D set");
        Assert.That(t.X(15), Is.EqualTo(9UL), "ended by ecall from S");
        Assert.That(t.Machine.SystemBus.ReadQuadWord(t.Symbol("data_page") + 8), Is.EqualTo(77UL));
    }

    [Test]
    public void StoreToReadOnlyPageIsAStorePageFaultWithTheVirtualAddress()
    {
        var t = new HartTestBench("li a1, 0x43  # V R A\n" + Setup + "\n" + """
        s_code:
            li t0, 0x40000000
            ld a2, 0(t0)
            sd a2, 16(t0)
            ecall
        """ + "\n" + Tables).RunToPass();
        Assert.That(t.X(15), Is.EqualTo(15UL));
        Assert.That(t.X(16), Is.EqualTo(0x40000010UL));
    }

    [Test]
    public void UnmappedVirtualAddressIsALoadPageFault()
    {
        var t = new HartTestBench("li a1, 0x43\n" + Setup + "\n" + """
        s_code:
            li t0, 0x40201000        # level1 entry 1 is invalid
            ld a2, 0(t0)
            ecall
        """ + "\n" + Tables).RunToPass();
        Assert.That(t.X(15), Is.EqualTo(13UL));
        Assert.That(t.X(16), Is.EqualTo(0x40201000UL));
    }

    [Test]
    public void FetchFromNonExecutablePageIsAnInstructionPageFault()
    {
        var t = new HartTestBench("li a1, 0x47\n" + Setup + "\n" + """
        s_code:
            li t0, 0x40000000
            jr t0
        """ + "\n" + Tables).RunToPass();
        Assert.That(t.X(15), Is.EqualTo(12UL));
        Assert.That(t.X(16), Is.EqualTo(0x40000000UL));
    }

    [Test]
    public void SupervisorNeedsSumToTouchUserPages()
    {
        var t = new HartTestBench("li a1, 0x53  # V R U A\n" + Setup + "\n" + """
        s_code:
            li t0, 0x40000000
            ld a2, 0(t0)             # faults: SUM clear
            ecall
        """ + "\n" + Tables).RunToPass();
        Assert.That(t.X(15), Is.EqualTo(13UL));
    }

    // A mapping changed without sfence.vma: the stale TLB entry serves (the privileged spec allows it) until
    // sfence.vma. In between, sstatus.SIE toggles must keep the entry: they change nothing a translation depends on
    // (Linux toggles SIE around every irq-safe lock; flushing there made every later access walk).
    [TestCase("", TestName = "SfenceVmaMakesAChangedMappingVisible")]
    [TestCase("csrsi sstatus, 2\ncsrci sstatus, 2", TestName = "TogglingInterruptEnableKeepsTheTlb")]
    public void StaleEntryServesUntilSfenceVma(string between)
    {
        var t = new HartTestBench("li a1, 0x47\n" + Setup + "\n" + $$"""
        s_code:
            li t0, 0x40000000
            ld a2, 0(t0)             # fills the TLB
            la t2, level0
            sd zero, 0(t2)           # unmap, no sfence.vma
            {{between}}
            ld a3, 0(t0)             # the stale entry still serves
            sfence.vma
            ld a4, 0(t0)             # now faults
            ecall
        """ + "\n" + Tables).RunToPass();
        Assert.That(t.X(12), Is.EqualTo(0x1234UL));
        Assert.That(t.X(13), Is.EqualTo(0x1234UL), "served by the kept entry");
        Assert.That(t.X(15), Is.EqualTo(13UL), "load page fault after sfence.vma");
    }

    // A user page read by the supervisor with SUM, and an execute-only page read with MXR: each read fills the TLB
    // under the bit, and the same read must fault once the bit is clear.
    [TestCase(18, 0x53, TestName = "ClearingSumIsSeenByTheNextAccess")]      // V R U A
    [TestCase(19, 0x49, TestName = "ClearingMxrIsSeenByTheNextAccess")]      // V X A
    public void ClearingAStatusBitIsSeenByTheNextAccess(int bit, int leafFlags)
    {
        var t = new HartTestBench($"li a1, {leafFlags}\n" + Setup + "\n" + $$"""
        s_code:
            li t0, 0x40000000
            li t1, 1 << {{bit}}
            csrs sstatus, t1
            ld a2, 0(t0)             # allowed under the bit: fills the TLB
            csrc sstatus, t1
            ld a3, 0(t0)             # faults: the entry was checked under the bit
            ecall
        """ + "\n" + Tables).RunToPass();
        Assert.That(t.X(12), Is.EqualTo(0x1234UL));
        Assert.That(t.X(15), Is.EqualTo(13UL), "load page fault once the bit is clear");
        Assert.That(t.X(16), Is.EqualTo(0x40000000UL));
    }

    [Test]
    public void UserModeDoesNotUseASupervisorTranslation()
    {
        // 0x4000_0000 is a supervisor page, 0x4000_1000 a user code page. The supervisor's read fills the TLB; after
        // sret the same read from U-mode must fault: the entry was checked for the supervisor.
        var t = new HartTestBench("li a1, 0x43  # V R A\n" + Setup + "\n" + """
        s_code:
            la t2, level0
            la t3, u_page
            srli t3, t3, 12
            slli t3, t3, 10
            ori t3, t3, 0x5B         # V R X U A
            sd t3, 8(t2)
            sfence.vma
            li t0, 0x40000000
            ld a2, 0(t0)             # fills the TLB for S
            li t1, 0x40001000
            csrw sepc, t1
            li t1, 1 << 8
            csrc sstatus, t1         # SPP = U
            sret
        """ + "\n" + Tables + "\n" + """
            .section .data
            .align 12
        u_page:
            ld a3, 0(t0)             # faults: not a user page
            ecall
            .section .text
        """).RunToPass();
        Assert.That(t.X(12), Is.EqualTo(0x1234UL));
        Assert.That(t.X(15), Is.EqualTo(13UL), "load page fault from U-mode");
        Assert.That(t.X(16), Is.EqualTo(0x40000000UL));
    }

    [Test]
    public void MachineModeWithMprvUsesTheTranslationOfMpp()
    {
        // Setup up to the drop to S-mode: the tables, satp and mtvec. In M-mode with MPRV, loads translate with MPP's
        // privilege: as S the supervisor page reads (and fills the TLB), as U the same page faults.
        var tablesAndSatp = Setup[..Setup.IndexOf("la t0, s_code", StringComparison.Ordinal)];
        var t = new HartTestBench("li a1, 0x43  # V R A\n" + tablesAndSatp + "\n" + """
            li t1, 0x1800
            csrc mstatus, t1
            li t1, 0x0800
            csrs mstatus, t1         # MPP = S
            li t1, 1 << 17
            csrs mstatus, t1         # MPRV
            li t0, 0x40000000
            ld a2, 0(t0)
            li t1, 0x1800
            csrc mstatus, t1         # MPP = U
            ld a3, 0(t0)             # faults: not a user page
            j pass
            .align 2
        m_handler:
            csrr a5, mcause
            csrr a6, mtval
            j pass
        """ + "\n" + Tables).RunToPass();
        Assert.That(t.X(12), Is.EqualTo(0x1234UL));
        Assert.That(t.X(15), Is.EqualTo(13UL), "load page fault as U");
        Assert.That(t.X(16), Is.EqualTo(0x40000000UL));
    }
}
