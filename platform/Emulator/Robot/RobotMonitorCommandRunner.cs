using System.Reflection;
using Emulator.Core;

namespace Emulator.Robot;

/// <summary>
/// Runs `Execute Command` / `Execute Script` through the emulator's monitor (`Emulator.Monitor.Monitor`,
/// one per emulation). The monitor is found by name so the Robot code does not depend on its assembly
/// layout; its errors (MonitorException) arrive as <see cref="EmulationException"/>s with their message.
/// </summary>
public sealed class RobotMonitorCommandRunner : IRobotCommandRunner
{
    private const string MonitorTypeName = "Emulator.Monitor.Monitor";
    private readonly object? monitor;
    private readonly MethodInfo? execute;
    private readonly MethodInfo? executeScript;

    public RobotMonitorCommandRunner(Emulation emulation)
    {
        Emulation = emulation;
        var type = AppDomain.CurrentDomain.GetAssemblies()
            .Select(a => a.GetType(MonitorTypeName, throwOnError: false))
            .FirstOrDefault(t => t != null);
        var constructor = type?.GetConstructor(new[] { typeof(Emulation) });
        if (type == null || constructor == null)
        {
            return;
        }
        monitor = constructor.Invoke(new object[] { emulation });
        execute = type.GetMethod("Execute", new[] { typeof(string) });
        executeScript = type.GetMethod("ExecuteScript", new[] { typeof(string) });
    }

    public Emulation Emulation { get; }

    public string Execute(string line) => Call(execute, line);

    public string ExecuteScript(string path) => Call(executeScript, path);

    private string Call(MethodInfo? method, string argument)
    {
        if (monitor == null || method == null)
        {
            throw new EmulationException("the monitor is not available in this build");
        }
        try
        {
            return method.Invoke(monitor, new object[] { argument }) as string ?? "";
        }
        catch (TargetInvocationException e) when (e.InnerException is EmulationException inner)
        {
            throw new EmulationException(inner.Message, inner);
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            // A monitor bug must not escape as a crash: report it as the command's failure.
            throw new EmulationException($"{e.InnerException.GetType().Name}: {e.InnerException.Message}", e.InnerException);
        }
    }
}
