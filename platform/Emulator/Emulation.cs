using Emulator.Core;

namespace Emulator;

/// <summary>
/// The whole emulation (Renode's `emulation` object): the machines, and the one background thread that
/// runs them once started. Machines run serially on that thread, so a run stays deterministic; other
/// threads (monitor, terminals, testers, GDB) talk to them through Machine.Post or while paused.
/// </summary>
public sealed class Emulation : IDisposable
{
    private readonly List<Machine> machines = new();
    private readonly object sync = new();
    private Thread? runner;
    private volatile bool stopRunner;

    public IReadOnlyList<Machine> Machines
    {
        get
        {
            lock (sync)
            {
                return machines.ToArray();
            }
        }
    }

    public Machine? CurrentMachine { get; set; }

    /// <summary>Global quantum in virtual nanoseconds, applied to machines created later and now.</summary>
    public ulong QuantumNanoseconds { get; private set; } = 100_000;

    public int? Seed { get; private set; }

    /// <summary>Whether machines count cache-line transfers (Machine.CoherenceModelEnabled), now and when created later.</summary>
    public bool CoherenceModelEnabled { get; private set; }

    /// <summary>Schedule policy of every machine, applied to machines created later and now (docs/exploration.md).</summary>
    public Scheduling.SchedulePolicy Schedule { get; private set; } = Scheduling.SchedulePolicy.Slices;

    /// <summary>Memory model of every machine, applied to machines created later and now (docs/exploration.md).</summary>
    public MemoryModels.MemoryModelKind MemoryModel { get; private set; }

    /// <summary>Interactive runs pace virtual time to the host clock and wait for input when idle.</summary>
    public bool Interactive { get; set; }

    public bool IsStarted => runner != null;

    /// <summary>Raised on the runner thread when a machine stops by itself (guest exit, idle, limit).</summary>
    public event Action<Machine, StopReason>? MachineStopped;

    /// <summary>Raised (on the creating thread) for every new machine, before anything is loaded into it.</summary>
    public event Action<Machine>? MachineCreated;

    private readonly List<string> scriptFiles = new();

    /// <summary>Full paths of the monitor scripts run in this emulation, for replay files.</summary>
    public IReadOnlyList<string> ScriptFiles
    {
        get
        {
            lock (scriptFiles)
            {
                return scriptFiles.ToArray();
            }
        }
    }

    /// <summary>Remembers a script the emulation was set up with (the monitor calls this).</summary>
    public void NoteScriptFile(string path)
    {
        var full = Path.GetFullPath(path);
        lock (scriptFiles)
        {
            if (!scriptFiles.Contains(full))
            {
                scriptFiles.Add(full);
            }
        }
    }

    public Machine CreateMachine(string? name = null)
    {
        lock (sync)
        {
            name ??= $"machine-{machines.Count}";
            if (machines.Exists(m => m.Name == name))
            {
                throw new EmulationException($"a machine named '{name}' already exists");
            }
            var machine = new Machine(name) { QuantumNanoseconds = QuantumNanoseconds, Seed = Seed, Schedule = Schedule, MemoryModel = MemoryModel, CoherenceModelEnabled = CoherenceModelEnabled };
            machines.Add(machine);
            CurrentMachine = machine;
            MachineCreated?.Invoke(machine);
            return machine;
        }
    }

    public void RemoveMachine(Machine machine)
    {
        Pause();
        lock (sync)
        {
            machines.Remove(machine);
            if (CurrentMachine == machine)
            {
                CurrentMachine = machines.Count > 0 ? machines[^1] : null;
            }
        }
    }

    public void SetGlobalQuantum(ulong nanoseconds)
    {
        if (nanoseconds == 0)
        {
            throw new EmulationException("the quantum must be greater than zero");
        }
        QuantumNanoseconds = nanoseconds;
        foreach (var m in Machines)
        {
            m.QuantumNanoseconds = nanoseconds;
        }
    }

    public void SetSeed(int seed)
    {
        Seed = seed;
        foreach (var m in Machines)
        {
            m.Seed = seed;
        }
    }

    public void SetCoherenceModel(bool enabled)
    {
        foreach (var m in Machines)
        {
            m.CoherenceModelEnabled = enabled;
        }
        CoherenceModelEnabled = enabled;
    }

    public void SetSchedule(Scheduling.SchedulePolicy schedule)
    {
        Schedule = schedule;
        foreach (var m in Machines)
        {
            m.Schedule = schedule;
        }
    }

    public void SetMemoryModel(MemoryModels.MemoryModelKind model)
    {
        MemoryModel = model;
        foreach (var m in Machines)
        {
            m.MemoryModel = model;
        }
    }

    /// <summary>Starts running every machine on a background thread (no-op when already started).</summary>
    public void Start()
    {
        lock (sync)
        {
            if (runner != null)
            {
                return;
            }
            stopRunner = false;
            runner = new Thread(RunLoop) { IsBackground = true, Name = "emulation" };
            runner.Start();
        }
    }

    /// <summary>Stops the background thread at the next slice boundary and waits for it.</summary>
    public void Pause()
    {
        Thread? thread;
        lock (sync)
        {
            thread = runner;
            if (thread == null)
            {
                return;
            }
            stopRunner = true;
            foreach (var m in machines)
            {
                m.RequestPause();
            }
        }
        if (Thread.CurrentThread != thread)
        {
            thread.Join();
        }
        lock (sync)
        {
            runner = null;
        }
    }

    /// <summary>Runs every machine for the given virtual time, on the calling thread (`emulation RunFor`).</summary>
    public void RunFor(TimeSpan span)
    {
        if (IsStarted)
        {
            throw new EmulationException("RunFor needs a paused emulation; call `pause` first");
        }
        foreach (var m in Machines)
        {
            m.Run(RunLimits.ForTime(span));
        }
    }

    /// <summary>Removes every machine (Robot's `Reset Emulation`).</summary>
    public void Clear()
    {
        Pause();
        lock (sync)
        {
            machines.Clear();
            CurrentMachine = null;
        }
    }

    public void Dispose() => Clear();

    private void RunLoop()
    {
        var running = new HashSet<Machine>(Machines);
        while (!stopRunner && running.Count > 0)
        {
            foreach (var m in Machines)
            {
                if (!running.Contains(m))
                {
                    continue;
                }
                m.PaceToHostClock = Interactive;
                m.WaitForHostWhenIdle = true;
                // Several machines share the thread in turns of 10 ms virtual time.
                var reason = m.Run(new RunLimits(0, 10_000_000));
                if (reason is StopReason.GuestExit or StopReason.AllHartsIdle or StopReason.Breakpoint or StopReason.RecordingEnd)
                {
                    running.Remove(m);
                    MachineStopped?.Invoke(m, reason);
                }
                if (stopRunner)
                {
                    break;
                }
            }
        }
        if (!stopRunner)
        {
            lock (sync)
            {
                runner = null;
            }
        }
    }
}
