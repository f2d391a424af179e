using Emulator.Core;
using Emulator.Robot;

namespace Emulator.Tests.Robot;

/// <summary>
/// Stands in for the monitor: records every command, `mach create` makes a machine with a
/// <see cref="FakeShellUart"/> as `uart0`, `fail ...` throws like a monitor error, `echo X` returns X.
/// </summary>
public sealed class FakeCommandRunner : IRobotCommandRunner
{
    private readonly Emulation emulation;

    public FakeCommandRunner(Emulation emulation, List<string> log)
    {
        this.emulation = emulation;
        Log = log;
    }

    public List<string> Log { get; }

    public static Func<Emulation, IRobotCommandRunner> Factory(List<string> log) => e => new FakeCommandRunner(e, log);

    public string Execute(string line)
    {
        lock (Log)
        {
            Log.Add(line);
        }
        if (line.StartsWith("mach create", StringComparison.Ordinal))
        {
            var machine = emulation.CreateMachine();
            machine.Register("uart0", new FakeShellUart(machine));
            return "";
        }
        if (line == "quiet")
        {
            emulation.Machines[0].TryGetByName("uart0", out var uart);
            ((FakeShellUart)uart).Echo = false;
            return "";
        }
        if (line.StartsWith("log ", StringComparison.Ordinal))
        {
            emulation.Machines[0].Log.Warning("uart0", line.Substring(4));
            return "";
        }
        if (line.StartsWith("fail", StringComparison.Ordinal))
        {
            throw new EmulationException("There was an error executing command 'fail'");
        }
        if (line.StartsWith("echo ", StringComparison.Ordinal))
        {
            return line.Substring(5);
        }
        if (line.StartsWith("emulation SetSeed ", StringComparison.Ordinal))
        {
            emulation.SetSeed(int.Parse(line.Substring(18)));
        }
        return "";
    }

    public string ExecuteScript(string path)
    {
        lock (Log)
        {
            Log.Add("script " + path);
        }
        return Execute("mach create");
    }
}
