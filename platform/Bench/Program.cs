using System.Diagnostics;
using System.Globalization;
using Emulator.Core;
using Emulator.Loaders;
using Emulator.Peripherals.CPU;
using Emulator.Peripherals.Memory;

namespace Emulator.Bench;

/// <summary>
/// `emu-bench [--interpreter] [--coherence] [--schedule S] [--memory-model M] FILE.elf HARTS MAX_INSTRUCTIONS`: runs an ELF on a
/// bare machine of N harts (RAM only) and prints one line
/// `BENCH emulator harts=N instructions=... seconds=... mips=... mode=translated|interpreter`.
/// --interpreter turns the translator off (Machine.TranslationEnabled = false), for the interpreter's figure;
/// --coherence turns the coherence model on (docs/counters.md); --schedule and --memory-model select the exploration modes (docs/exploration.md), seed 1.
/// The program should run until the limit (or exit through HTIF); host time is wall-clock.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var interpreterOnly = false;
        var coherence = false;
        string? schedule = null;
        string? memoryModel = null;
        while (args.Length > 1 && args[0].StartsWith("--", StringComparison.Ordinal))
        {
            if (args[0] == "--interpreter")
            {
                interpreterOnly = true;
                args = args[1..];
            }
            else if (args[0] == "--coherence")
            {
                coherence = true;
                args = args[1..];
            }
            else if (args[0] == "--schedule")
            {
                schedule = args[1];
                args = args[2..];
            }
            else if (args[0] == "--memory-model")
            {
                memoryModel = args[1];
                args = args[2..];
            }
            else
            {
                break;
            }
        }
        if (args.Length != 3 || !int.TryParse(args[1], out var harts) || !ulong.TryParse(args[2], out var limit))
        {
            Console.Error.WriteLine("usage: emu-bench [--interpreter] [--coherence] [--schedule S] [--memory-model sc|rvwmo] FILE.elf HARTS MAX_INSTRUCTIONS");
            return 2;
        }
        try
        {
            var machine = new Machine();
            if (interpreterOnly)
            {
                machine.TranslationEnabled = false;
            }
            var ram = new MappedMemory(128L << 20);
            machine.Register("ram", ram);
            machine.SystemBus.Register(ram, 0x8000_0000, 128UL << 20, "ram");
            for (var i = 0; i < harts; i++)
            {
                machine.Register($"cpu{i}", new RiscV64("rv64imac_zicsr_zifencei", null, (uint)i));
            }
            machine.CoherenceModelEnabled = coherence;
            ElfLoader.Load(machine, args[0]);
            if (schedule != null || memoryModel != null)
            {
                machine.Seed = 1;
                machine.Schedule = Scheduling.SchedulePolicy.Parse(schedule ?? "slices");
                machine.MemoryModel = MemoryModels.MemoryModelNames.Parse(memoryModel ?? "sc");
            }
            var watch = Stopwatch.StartNew();
            machine.Run(new RunLimits(limit));
            watch.Stop();
            var executed = machine.TotalInstructions;
            var seconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"BENCH emulator harts={harts} instructions={executed} seconds={seconds:0.000} mips={executed / seconds / 1e6:0.0} mode={(machine.TranslationEnabled ? "translated" : "interpreter")}"));
            return 0;
        }
        catch (EmulationException e)
        {
            Console.Error.WriteLine($"emu-bench: {e.Message}");
            return 2;
        }
    }
}
