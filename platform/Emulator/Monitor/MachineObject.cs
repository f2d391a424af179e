namespace Emulator.Monitor;

/// <summary>The monitor's `machine` object: the current machine's platform, reset and debugging commands.</summary>
public sealed class MachineObject
{
    private readonly Monitor monitor;
    private readonly Machine machine;

    internal MachineObject(Monitor monitor, Machine machine)
    {
        this.monitor = monitor;
        this.machine = machine;
    }

    public string Name => machine.Name;

    /// <summary>Loads a `.repl` file into the machine; errors come back in Renode's `Error E<nn>` form.</summary>
    [MonitorThread]
    public void LoadPlatformDescription(string path)
    {
        if (!File.Exists(path))
        {
            throw new MonitorException($"{path}: no such file");
        }
        RequirePaused("LoadPlatformDescription");
        PlatformDescriptionBridge.LoadFile(monitor, machine, path);
    }

    [MonitorThread]
    public void LoadPlatformDescriptionFromString(string description)
    {
        RequirePaused("LoadPlatformDescriptionFromString");
        PlatformDescriptionBridge.LoadString(monitor, machine, description);
    }

    /// <summary>Adding devices changes what the harts see mid-slice; the loader is not meant for a running machine.</summary>
    private void RequirePaused(string command)
    {
        if (monitor.Emulation.IsStarted)
        {
            throw new MonitorException($"{command} needs a paused emulation; call `pause` first");
        }
    }

    /// <summary>Serves GDB's remote protocol on 127.0.0.1:port, one thread per hart.</summary>
    [MonitorThread]
    public void StartGdbServer(int port, bool autostartEmulation = false) => monitor.StartGdbServer(machine, port, autostartEmulation);

    [MonitorThread]
    public void StopGdbServer() => monitor.StopGdbServer(machine);

    /// <summary>Records a timeline for Perfetto / chrome://tracing into a JSON file (docs/tracing.md), at most maxEvents events.</summary>
    public void StartTrace(string path, int maxEvents = Tracing.TraceRecorder.DefaultMaxEvents) => machine.StartTrace(path, maxEvents);

    /// <summary>Stops the trace and writes its file.</summary>
    public string StopTrace() => machine.StopTrace();

    /// <summary>Resets every peripheral (RAM kept) and runs the `reset` macro.</summary>
    public void Reset() => machine.Reset();

    [MonitorThread]
    public void Start() => monitor.Emulation.Start();

    [MonitorThread]
    public void Pause() => monitor.Emulation.Pause();

    /// <summary>Accepted for Renode compatibility: harts always run serially here.</summary>
    public void SetSerialExecution(bool serial) => monitor.SerialExecution = serial;

    public string GetTimeSourceInfo() =>
        $"Elapsed virtual time: {Monitor.FormatInterval(TimeSpan.FromTicks((long)(machine.Clock.Now / 100)))}\n" +
        $"Quantum: {machine.QuantumNanoseconds} ns\nInstructions executed: {machine.TotalInstructions}";

    public TimeSpan ElapsedVirtualTime => TimeSpan.FromTicks((long)(machine.Clock.Now / 100));
}
