using System.Diagnostics;
using System.Text;
using Emulator.Loaders;
using Emulator.MemoryModels;
using Emulator.Peripherals.CPU;
using Emulator.Peripherals.Memory;
using Emulator.Scheduling;

namespace Emulator.Cli.Litmus;

/// <summary>
/// Runs a litmus test's program many times on one machine: before each run the machine is reset, locations and
/// registers get their initial values and the seed becomes the run's number, which drives both the schedule
/// (random preemption by default, so harts interleave at any instruction) and the memory model's choices.
/// </summary>
public sealed class LitmusRunner
{
    public const ulong RamBase = 0x8000_0000;

    // A run of a litmus test is a few dozen instructions; a test that loops longer than this is reported unfinished.
    private const ulong InstructionLimit = 200_000;

    public MemoryModelKind MemoryModel { get; init; } = MemoryModelKind.Rvwmo;

    public SchedulePolicy Schedule { get; init; } = SchedulePolicy.Parse("random:4");

    public LitmusOutcome Run(LitmusTest test, string elf, int runs, int firstSeed)
    {
        var clock = Stopwatch.StartNew();
        var machine = new Machine($"litmus-{test.Name}");
        var ram = new MappedMemory(1L << 20);
        machine.Register("ram", ram);
        machine.SystemBus.Register(ram, RamBase, 1UL << 20, "ram");
        for (var h = 0; h < test.Harts; h++)
        {
            machine.Register($"cpu{h}", new RiscV64("rv64imac_zicsr_zifencei", null, (uint)h, PrivilegedArchitecture.Priv1_11));
        }
        var image = ElfLoader.Load(machine, elf);
        machine.Schedule = Schedule;
        machine.MemoryModel = MemoryModel;
        var entries = Enumerable.Range(0, test.Harts).Select(h => image.Symbols[$"P{h}"]).ToArray();
        var address = test.Locations.Keys.ToDictionary(k => k, k => image.Symbols[$"loc_{k}"]);
        var wide = UsesDoublewords(test);
        var outcome = new LitmusOutcome { Test = test };
        var state = new StringBuilder();
        for (var run = 0; run < runs; run++)
        {
            var seed = firstSeed + run;
            machine.Reset();
            foreach (var (loc, value) in test.Locations)
            {
                machine.SystemBus.WriteQuadWord(address[loc], (ulong)value);
            }
            for (var h = 0; h < test.Harts; h++)
            {
                machine.Harts[h].PC = entries[h];
            }
            foreach (var (hart, reg, value, loc) in test.Registers)
            {
                machine.Harts[hart].SetRegister(reg, loc != null ? address[loc] : (ulong)value);
            }
            machine.Seed = seed;
            var reason = machine.Run(new RunLimits(InstructionLimit));
            if (reason != StopReason.AllHartsIdle)
            {
                outcome.Unfinished++;
                continue;
            }
            long Read(int hart, string name) => hart >= 0
                ? (long)machine.Harts[hart].GetRegister(LitmusParser.RegisterIndex(name)!.Value)
                : wide ? (long)machine.SystemBus.ReadQuadWord(address[name]) : (int)machine.SystemBus.ReadDoubleWord(address[name]);
            state.Clear();
            foreach (var (hart, name) in test.Observed)
            {
                state.Append(hart >= 0 ? $"{hart}:{name}" : name).Append('=').Append(Read(hart, name)).Append("; ");
            }
            var key = state.ToString().TrimEnd();
            var satisfies = test.Condition.Evaluate(Read);
            outcome.Histogram[key] = (outcome.Histogram.TryGetValue(key, out var e) ? e.Count + 1 : 1, satisfies);
            if (satisfies)
            {
                outcome.Positive++;
                outcome.FirstPositiveSeed ??= seed;
            }
            else
            {
                outcome.Negative++;
            }
        }
        outcome.Seconds = clock.Elapsed.TotalSeconds;
        return outcome;
    }

    // Locations are doublewords; a test that touches them only with word accesses sees 32-bit signed values.
    private static bool UsesDoublewords(LitmusTest test) =>
        test.Code.SelectMany(c => c).Any(c =>
        {
            var op = c.Code.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            var colon = c.Code.IndexOf(':');
            if (colon >= 0 && op.EndsWith(':'))
            {
                op = c.Code[(colon + 1)..].Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            }
            return op is "ld" or "sd" || op.Contains(".d", StringComparison.Ordinal);
        });
}
