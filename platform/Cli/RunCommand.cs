using System.Globalization;
using Emulator.Core;
using Emulator.Loaders;
using Emulator.Peripherals.CPU;
using Emulator.Peripherals.Memory;

namespace Emulator.Cli;

/// <summary>
/// `emu run FILE.elf`: a batch run for CI. Without --board the machine is one hart with 128 MiB of RAM
/// at 0x8000_0000 (enough for the RISC-V ISA tests); the guest ends the run through HTIF or the test
/// finisher, and its exit code becomes ours. A limit reached exits 124, as `timeout` does.
/// </summary>
public static class RunCommand
{
    public const int LimitExitCode = 124;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? elf = null;
        ulong maxInstructions = 0;
        double timeoutSeconds = 0;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--max-instructions":
                    maxInstructions = ParseUnsigned(NextValue(args, ref i), "--max-instructions");
                    break;
                case "--timeout":
                    if (!double.TryParse(NextValue(args, ref i), NumberStyles.Float, CultureInfo.InvariantCulture, out timeoutSeconds) || timeoutSeconds <= 0)
                    {
                        throw new EmulationException("--timeout takes a positive number of virtual seconds");
                    }
                    break;
                default:
                    if (args[i].StartsWith('-'))
                    {
                        throw new EmulationException($"unknown option {args[i]}");
                    }
                    if (elf != null)
                    {
                        throw new EmulationException("run takes one ELF file");
                    }
                    elf = args[i];
                    break;
            }
        }
        if (elf == null)
        {
            throw new EmulationException("run needs an ELF file: emu run FILE.elf");
        }

        var machine = CreateDefaultMachine();
        machine.Log.EntryLogged += entry => stderr.WriteLine(entry.ToString());
        ElfLoader.Load(machine, elf);
        var limits = new RunLimits(maxInstructions, (ulong)(timeoutSeconds * 1e9));
        var reason = machine.Run(limits);
        stdout.Flush();
        return Report(machine, reason, stderr);
    }

    public static Machine CreateDefaultMachine()
    {
        var machine = new Machine();
        machine.Register("ram", new MappedMemory(128L << 20));
        machine.SystemBus.Register((MappedMemory)GetByName(machine, "ram"), 0x8000_0000, 128UL << 20, "ram");
        machine.Register("cpu0", new RiscV64("rv64imac_zicsr_zifencei", null, 0, PrivilegedArchitecture.Priv1_11, allowUnalignedAccesses: true));
        return machine;
    }

    public static int Report(Machine machine, StopReason reason, TextWriter stderr)
    {
        switch (reason)
        {
            case StopReason.GuestExit:
                return machine.ExitCode;
            case StopReason.InstructionLimit:
                stderr.WriteLine($"emu: instruction limit reached after {machine.TotalInstructions} instructions");
                return LimitExitCode;
            case StopReason.TimeLimit:
                stderr.WriteLine($"emu: virtual time limit reached at {machine.Clock.Now / 1e9:0.######} s");
                return LimitExitCode;
            case StopReason.AllHartsIdle:
                stderr.WriteLine($"emu: {machine.StopMessage}; the guest can never make progress");
                return LimitExitCode;
            default:
                stderr.WriteLine($"emu: stopped ({reason})");
                return 1;
        }
    }

    private static IPeripheral GetByName(Machine machine, string name) =>
        machine.TryGetByName(name, out var p) ? p : throw new EmulationException($"no peripheral {name}");

    private static string NextValue(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new EmulationException($"{args[i]} needs a value");
        }
        return args[++i];
    }

    private static ulong ParseUnsigned(string text, string option)
    {
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v)
            : ulong.TryParse(text.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out v);
        if (!ok)
        {
            throw new EmulationException($"{option} takes a non-negative integer, got '{text}'");
        }
        return v;
    }
}
