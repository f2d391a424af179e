namespace Emulator.Tests.Cli;

/// <summary>
/// A tiny guest for host tests on the real board: hart 0 prints `ready` (and its a0/a1 check) on uart0, then
/// echoes what it receives; `q` powers off through the test finisher (exit 0), `f` fails with code 3.
/// Other harts wait in WFI.
/// </summary>
public static class EchoGuest
{
    public const string Source = """
        .equ UART, 0x10000000
        .equ FINISHER, 0x100000
        .section .text.start
        .globl _start
        _start:
            csrr t0, mhartid
            bnez t0, park
            li s0, UART
            la a0, banner
        print:
            lbu t1, 0(a0)
            beqz t1, echo
        1:  lbu t2, 5(s0)
            andi t2, t2, 0x20
            beqz t2, 1b
            sb t1, 0(s0)
            addi a0, a0, 1
            j print
        echo:
            lbu t2, 5(s0)
            andi t2, t2, 1
            beqz t2, echo
            lbu t1, 0(s0)
            li t3, 'q'
            beq t1, t3, pass
            li t3, 'f'
            beq t1, t3, fail
        2:  lbu t2, 5(s0)
            andi t2, t2, 0x20
            beqz t2, 2b
            sb t1, 0(s0)
            j echo
        pass:
            li t0, FINISHER
            li t1, 0x5555
            sw t1, 0(t0)
            j park
        fail:
            li t0, FINISHER
            li t1, 0x33333
            sw t1, 0(t0)
        park:
            wfi
            j park
        .section .data
        banner: .asciz "ready\n"
        """;

    public static string Build() => GuestToolchain.Build(Source);

    /// <summary>The repository root (where Emulator.sln is), found from the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(TestContextDirectory());
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Emulator.sln")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root");
        }
    }

    private static string TestContextDirectory() => NUnit.Framework.TestContext.CurrentContext.TestDirectory;
}
