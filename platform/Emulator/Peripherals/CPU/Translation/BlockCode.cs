namespace Emulator.Peripherals.CPU.Translation;

/// <summary>
/// Host code of one translated block. <paramref name="registers"/> is x[0]; <paramref name="budget"/> is how many
/// instruction slots the hart may still execute in this call (at least the block's length). Returns 0 when the
/// block ran to an exit or a call-out trapped (pc is the next block head), 1 when it stopped before an instruction
/// the interpreter must execute (an AMO that is misaligned or outside RAM). Budget 0 returns 0 at once and reads
/// nothing (BlockCompiler uses it to have the JIT compile the method ahead of its first entry).
/// </summary>
internal delegate int BlockCode(RiscV64 cpu, ref ulong registers, ulong budget);
