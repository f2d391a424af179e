using Emulator.Core;

namespace Emulator.Cli;

/// <summary>Entry point of `emu`: dispatches to the batch runner, the monitor or the test runner.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            if (args.Length > 0 && (args[0] == "--version" || args[0] == "-v"))
            {
                Console.WriteLine($"emu {typeof(Machine).Assembly.GetName().Version}");
                return 0;
            }
            if (args.Length > 0 && args[0] == "run")
            {
                return RunCommand.Run(args.AsSpan(1).ToArray(), Console.Out, Console.Error);
            }
            Console.Error.WriteLine("usage: emu run FILE.elf [--board FILE.repl] [--max-instructions N] [--timeout VIRTUAL_SECONDS]");
            Console.Error.WriteLine("       emu --version");
            return 2;
        }
        catch (EmulationException e)
        {
            Console.Error.WriteLine($"emu: {e.Message}");
            return 2;
        }
    }
}
