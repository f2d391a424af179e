using NUnit.Framework;

namespace Emulator.Tests.Cpu;

/// <summary>
/// The interpreter's inner loop (RiscV64.InterpretPlain, docs/translator.md) against Execute's own loop: every program
/// runs with the inner loop on and off and must end in the same state, with translation off and with translation on
/// at a threshold of 100, where the inner loop counts block heads itself and so must enter the same blocks.
/// </summary>
[TestFixture]
public class InterpreterInnerLoopTests
{
    private static IEnumerable<TestCaseData> Programs()
    {
        yield return new TestCaseData(TranslationTests.AluLoop).SetName("AluLoop");
        yield return new TestCaseData(ChainingTests.BranchyLoop).SetName("BranchyLoop");
        yield return new TestCaseData(ChainingTests.CallAcrossPages).SetName("CallAcrossPages");
        for (var seed = 1; seed <= 6; seed++)
        {
            yield return new TestCaseData(TranslationTests.RandomProgram(seed)).SetName($"RandomProgram{seed}");
        }
        yield return new TestCaseData(PagedTranslationTests.Program(false, PagedTranslationTests.TwoLoops, rounds: 10)).SetName("SupervisorUnderSv39");
        yield return new TestCaseData(PagedTranslationTests.Program(true, PagedTranslationTests.TwoLoops, rounds: 40, switchEachRound: true))
            .SetName("UserUnderSv39SwitchingAddressSpaces");
        // The loop reaches f2 for the first time after f1's calls have decoded part of its page: the inner loop,
        // started on the loop's page, follows the call onto f2's page and stops at f2's undecoded slot, which Execute
        // then decodes from that page.
        yield return new TestCaseData("""
                li s3, 200
                li s2, 0
                li s4, 100
            1:  call f1
                add s2, s2, a0
                addi s3, s3, -1
                bgt s3, s4, 1b
            2:  ecall                    # the trap handler and mret: the inner loop starts again on this page
                call f2
                add s2, s2, a0
                addi s3, s3, -1
                bnez s3, 2b
                j pass
                .align 12
            f1: li a0, 3
                ret
                .align 6
            f2: li a0, 5
                ret
            """).SetName("FirstCallIntoAPartlyDecodedPage");
        // A store next to the loop's code (its page holds code: AfterRamStore must see it) and a live reservation.
        yield return new TestCaseData("""
                li s3, 2000
                la s2, near
            1:  sd s3, 0(s2)
                lr.d t0, (s2)
                sw s3, 8(s2)
                sc.d t1, t0, (s2)
                ld t2, 8(s2)
                add s4, s4, t2
                addi s3, s3, -1
                bnez s3, 1b
                j pass
            near: .dword 0, 0
            """).SetName("StoresBesideCodeAndUnderAReservation");
    }

    private static TranslationTests.Outcome Run(string body, bool translate, bool innerLoop) =>
        TranslationTests.Run(body, translate, setup: t =>
        {
            foreach (var h in t.Machine.Harts)
            {
                h.InnerLoopEnabled = innerLoop;
                h.TranslationThreshold = 100;
            }
        });

    [TestCaseSource(nameof(Programs))]
    public void InterpretedTheSameWithAndWithoutTheInnerLoop(string body)
    {
        var without = Run(body, translate: false, innerLoop: false);
        var with = Run(body, translate: false, innerLoop: true);
        Assert.That(with.State, Does.StartWith("stop=GuestExit"));
        Assert.That(with.State, Is.EqualTo(without.State));
    }

    [TestCaseSource(nameof(Programs))]
    public void TranslatedTheSameWithAndWithoutTheInnerLoop(string body)
    {
        var without = Run(body, translate: true, innerLoop: false);
        var with = Run(body, translate: true, innerLoop: true);
        Assert.That(with.State, Is.EqualTo(without.State));
        Assert.That(with.BlocksEntered, Is.EqualTo(without.BlocksEntered), "heads must heat up the same way");
    }
}
