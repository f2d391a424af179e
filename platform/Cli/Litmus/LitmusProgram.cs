using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Emulator.Cli.Litmus;

/// <summary>
/// Turns a litmus test into a bare-metal ELF with riscv64-unknown-elf-gcc: hart h's column becomes the code at
/// symbol `P{h}` (labels renamed per hart), followed by a WFI loop that never wakes (interrupts stay off), so
/// the run ends when every hart is done; each location is a doubleword `loc_NAME` on a data page of its own.
/// The runner sets registers and initial memory before every run. Assembler errors point at the test's lines.
/// </summary>
public static partial class LitmusProgram
{
    public const string Gcc = "riscv64-unknown-elf-gcc";

    private const string LinkerScript = """
        ENTRY(_start)
        SECTIONS
        {
            . = 0x80000000;
            .text : { *(.text.start) *(.text*) }
            . = ALIGN(4096);
            .data : { *(.data*) }
        }
        """;

    public static string Build(LitmusTest test)
    {
        var asm = new StringBuilder();
        var lineMap = new List<int>();
        void Emit(string line, int litmusLine)
        {
            asm.Append(line).Append('\n');
            lineMap.Add(litmusLine);
        }
        Emit("    .section .text.start", 1);
        Emit("    .globl _start", 1);
        Emit("_start: j _start", 1);
        for (var h = 0; h < test.Harts; h++)
        {
            var labels = test.Code[h]
                .Select(c => LabelAtStart().Match(c.Code))
                .Where(m => m.Success)
                .Select(m => m.Groups[1].Value)
                .ToHashSet(StringComparer.Ordinal);
            Emit("    .align 2", 1);
            Emit($"    .globl P{h}", 1);
            Emit($"P{h}:", 1);
            foreach (var (code, line) in test.Code[h])
            {
                var text = code;
                foreach (var label in labels)
                {
                    text = Regex.Replace(text, $@"\b{Regex.Escape(label)}\b", $"P{h}_{label}");
                }
                Emit("    " + text, line);
            }
            Emit($"P{h}_end: wfi", 1);
            Emit($"    j P{h}_end", 1);
        }
        Emit("    .section .data", 1);
        foreach (var loc in test.Locations.Keys)
        {
            Emit("    .align 3", 1);
            Emit($"    .globl loc_{loc}", 1);
            Emit($"loc_{loc}: .dword 0", 1);
        }
        var source = asm.ToString();

        var dir = Path.Combine(Path.GetTempPath(), "emu-litmus");
        Directory.CreateDirectory(dir);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source + LinkerScript)))[..24];
        var elf = Path.Combine(dir, hash + ".elf");
        if (File.Exists(elf))
        {
            return elf;
        }
        var src = Path.Combine(dir, hash + ".S");
        var ld = Path.Combine(dir, hash + ".ld");
        File.WriteAllText(src, source);
        File.WriteAllText(ld, LinkerScript);
        var tmp = elf + $".{Environment.ProcessId}.tmp";
        var psi = new ProcessStartInfo(Gcc)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-march=rv64imac_zicsr_zifencei", "-mabi=lp64", "-nostdlib", "-nostartfiles", "-Wl,--no-warn-rwx-segments", "-T", ld, "-o", tmp, src })
        {
            psi.ArgumentList.Add(a);
        }
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new LitmusException(test.File, 1, 1, $"{Gcc} is not installed (scripts/bootstrap installs it)");
        }
        var stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            // "X.S:12: Error: ..." -> the test's line of that instruction.
            var m = AssemblerError().Match(stderr);
            if (m.Success)
            {
                var asmLine = int.Parse(m.Groups[1].Value);
                var litmusLine = asmLine >= 1 && asmLine <= lineMap.Count ? lineMap[asmLine - 1] : 1;
                throw new LitmusException(test.File, litmusLine, 1, "the assembler rejects this code: " + m.Groups[2].Value.Trim());
            }
            throw new LitmusException(test.File, 1, 1, "the assembler failed: " + stderr.Trim());
        }
        File.Move(tmp, elf, overwrite: true);
        return elf;
    }

    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:")]
    private static partial Regex LabelAtStart();

    [GeneratedRegex(@"\.S:(\d+): (?:Error|error): (.*)")]
    private static partial Regex AssemblerError();
}
