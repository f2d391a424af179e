using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;

namespace Emulator.Tests;

/// <summary>
/// Builds small RISC-V programs for tests with Debian's riscv64-unknown-elf-gcc (installed by
/// scripts/bootstrap). Results are cached by content hash so repeated runs cost nothing.
/// </summary>
public static class GuestToolchain
{
    public const string Gcc = "riscv64-unknown-elf-gcc";

    private static readonly string CacheDir = Path.Combine(Path.GetTempPath(), "emu-test-builds");

    private const string LinkerScript = """
        ENTRY(_start)
        SECTIONS
        {
            . = 0x80000000;
            .text : { *(.text.start) *(.text*) }
            . = ALIGN(8);
            .data : { *(.data*) *(.sdata*) *(.rodata*) *(.srodata*) }
            .bss : { *(.bss*) *(.sbss*) *(COMMON) }
        }
        """;

    public static bool IsAvailable => FindOnPath(Gcc) != null;

    public static void RequireOrIgnore()
    {
        if (!IsAvailable)
        {
            Assert.Ignore($"{Gcc} is not installed (scripts/bootstrap installs it)");
        }
    }

    /// <summary>Assembles (or compiles, for .c) the given source into an ELF and returns its path.</summary>
    public static string Build(string source, string extension = ".S", string march = "rv64imac_zicsr_zifencei")
    {
        RequireOrIgnore();
        Directory.CreateDirectory(CacheDir);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source + extension + march + LinkerScript)))[..24];
        var elf = Path.Combine(CacheDir, hash + ".elf");
        if (File.Exists(elf))
        {
            return elf;
        }
        // Per process: test runs of several worktrees share the cache, and a linker reading a link.ld that another
        // process is rewriting got an empty script and cached an ELF linked at address 0.
        var src = Path.Combine(CacheDir, $"{hash}.{Environment.ProcessId}{extension}");
        var ld = Path.Combine(CacheDir, $"link.{Environment.ProcessId}.ld");
        File.WriteAllText(src, source);
        File.WriteAllText(ld, LinkerScript);
        var tmp = elf + $".{Environment.ProcessId}.tmp";
        Run(Gcc, $"-march={march} -mabi=lp64 -mcmodel=medany -nostdlib -nostartfiles -ffreestanding -O2 -Wl,--no-warn-rwx-segments -T {ld} -o {tmp} {src}");
        File.Move(tmp, elf, overwrite: true);
        return elf;
    }

    private static void Run(string file, string args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(60_000))
        {
            p.Kill();
            Assert.Fail($"{file} timed out");
        }
        if (p.ExitCode != 0)
        {
            Assert.Fail($"{file} {args} failed:\n{err}");
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
