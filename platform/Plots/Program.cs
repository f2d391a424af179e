namespace Emulator.Plots;

/// <summary>
/// `emu-plots INPUT OUTDIR`: renders the charts of docs/BENCHMARKS.md from the lines scripts/bench collects in
/// INPUT: the guest's `BENCH ...` lines (from `bench all --coherence`), `SPEED ...` lines (emulator and QEMU MIPS)
/// and `RATE ...` lines (inter-hart operations per second). Writes PNG files into OUTDIR and prints their names.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: emu-plots INPUT.txt OUTDIR");
            return 2;
        }
        if (!File.Exists(args[0]))
        {
            Console.Error.WriteLine($"emu-plots: {args[0]}: no such file");
            return 2;
        }
        var data = BenchData.Parse(File.ReadAllLines(args[0]));
        Directory.CreateDirectory(args[1]);
        foreach (var file in Charts.RenderAll(data, args[1]))
        {
            Console.WriteLine(file);
        }
        return 0;
    }
}
