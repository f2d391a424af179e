using Emulator.Terminals;

namespace Emulator.Monitor;

/// <summary>The monitor's `emulation` object (Renode's Emulation commands).</summary>
public sealed class EmulationObject
{
    private readonly Monitor monitor;

    internal EmulationObject(Monitor monitor)
    {
        this.monitor = monitor;
    }

    /// <summary>Runs every machine for exactly this much virtual time, then leaves them paused.</summary>
    public void RunFor(TimeSpan time) => monitor.Emulation.RunFor(time);

    /// <summary>Sets the quantum, e.g. "0.0001" (seconds) or "00:00:00.0001".</summary>
    public void SetGlobalQuantum(TimeSpan quantum)
    {
        var ns = (ulong)quantum.Ticks * 100;
        monitor.Emulation.SetGlobalQuantum(ns);
    }

    /// <summary>Accepted for Renode compatibility: harts always run serially here, so every run is deterministic.</summary>
    public void SetGlobalSerialExecution(bool serial) => monitor.SerialExecution = serial;

    /// <summary>`true` runs flat out; `false` keeps virtual time at or behind the host's clock.</summary>
    public void SetGlobalAdvanceImmediately(bool advanceImmediately) => monitor.Emulation.Interactive = !advanceImmediately;

    public void SetSeed(int seed) => monitor.Emulation.SetSeed(seed);

    public int? GetSeed() => monitor.Emulation.Seed;

    /// <summary>`true` counts cache-line transfers between harts (events 12-17 of docs/counters.md, `cpu0 Statistics`); slower, same instructions.</summary>
    public void SetCoherenceModel(bool enabled) => monitor.Emulation.SetCoherenceModel(enabled);

    public bool GetCoherenceModel() => monitor.Emulation.CoherenceModelEnabled;

    /// <summary>"slices" (default), "random[:N]" or "pct:D[:K]": how harts interleave (docs/exploration.md); the seed drives it.</summary>
    public void SetSchedule(string schedule) => monitor.Emulation.SetSchedule(Scheduling.SchedulePolicy.Parse(schedule));

    public string GetSchedule() => monitor.Emulation.Schedule.ToString();

    /// <summary>"sc" (default) or "rvwmo": store buffers drained in seeded RVWMO orders (docs/exploration.md).</summary>
    public void SetMemoryModel(string model) => monitor.Emulation.SetMemoryModel(MemoryModels.MemoryModelNames.Parse(model));

    public string GetMemoryModel() => MemoryModels.MemoryModelNames.Name(monitor.Emulation.MemoryModel);

    /// <summary>`false` runs every machine on the interpreter alone (for comparisons and bug hunts); results are the same.</summary>
    public void SetTranslation(bool enabled)
    {
        foreach (var machine in monitor.Emulation.Machines)
        {
            machine.TranslationEnabled = enabled;
        }
    }

    /// <summary>True when every machine translates hot code to IL.</summary>
    public bool GetTranslation() => monitor.Emulation.Machines.All(m => m.TranslationEnabled);

    /// <summary>A TCP server on 127.0.0.1:port that a UART can be connected to (`connector Connect`).</summary>
    public void CreateServerSocketTerminal(int port, string name, bool emitConfig = false)
    {
        if (port is < 0 or > 65535)
        {
            throw new MonitorException($"port {port} is out of range 0..65535");
        }
        monitor.AddTerminal(name, new ServerSocketTerminal(name, port, emitConfig));
    }

    /// <summary>Removes every machine.</summary>
    [MonitorThread]
    public void Clear() => monitor.ClearEmulation();

    public string Machines => string.Join(", ", monitor.Emulation.Machines.Select(m => m.Name));
}
