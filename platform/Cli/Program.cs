using Emulator.Core;

namespace Emulator.Cli;

/// <summary>Entry point of `emu`: dispatches to the batch runner, the test runner or the interactive host.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            if (args.Length > 0 && args[0] == "run")
            {
                return RunCommand.Run(args.AsSpan(1).ToArray(), Console.Out, Console.Error);
            }
            if (args.Length > 0 && args[0] == "test")
            {
                return Emulator.Robot.RobotCommandLine.Run(args.AsSpan(1).ToArray(), Console.Out, Console.Error);
            }
            if (args.Length > 0 && args[0] == "replay")
            {
                return ReplayCommand.Run(args.AsSpan(1).ToArray(), Console.OpenStandardOutput(), Console.Error);
            }
            if (args.Length > 0 && args[0] == "litmus")
            {
                return Litmus.LitmusCommand.Run(args.AsSpan(1).ToArray(), Console.Out, Console.Error);
            }
            if (args.Length > 0 && args[0] == "dtb")
            {
                return DtbCommand.Run(args.AsSpan(1).ToArray(), Console.Out);
            }
            var options = HostOptions.Parse(args);
            if (options.ShowVersion)
            {
                Console.WriteLine($"emu {typeof(Machine).Assembly.GetName().Version}");
                return 0;
            }
            if (options.ShowHelp)
            {
                Console.WriteLine(HostOptions.Usage);
                return 0;
            }
            if (options.Scripts.Count == 0 && options.Commands.Count == 0 && options.MonitorPort == null && options.RobotServerPort == null && !options.StartInMonitor)
            {
                Console.Error.WriteLine(HostOptions.Usage);
                return 2;
            }
            return HostSession.Run(options);
        }
        catch (EmulationException e)
        {
            Console.Error.WriteLine($"emu: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"emu: {e.Message}");
            return 2;
        }
    }
}
