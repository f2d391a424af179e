using Emulator.Core;
using Emulator.Devicetree;

namespace Emulator.Cli;

/// <summary>
/// `emu dtb BOARD.repl OUT.dtb`: writes the device tree the emulator builds for a board, so that scripts
/// which must also run in Renode (board.resc) can load it with `sysbus LoadFdt`.
/// </summary>
public static class DtbCommand
{
    public static int Run(string[] args, TextWriter stdout)
    {
        if (args.Length != 2)
        {
            throw new EmulationException("usage: emu dtb BOARD.repl OUT.dtb");
        }
        File.WriteAllBytes(args[1], Build(args[0]));
        stdout.WriteLine($"emu: wrote {args[1]}");
        return 0;
    }

    public static byte[] Build(string board)
    {
        using var emulation = new Emulation();
        using var monitor = new Emulator.Monitor.Monitor(emulation);
        var machine = emulation.CreateMachine();
        if (!File.Exists(board))
        {
            throw new EmulationException($"{board}: no such file");
        }
        monitor.Execute($"machine LoadPlatformDescription @\"{Path.GetFullPath(board)}\"");
        return DeviceTreeBuilder.Build(machine);
    }
}
