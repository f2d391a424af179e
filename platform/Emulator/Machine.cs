using System.Collections.Concurrent;
using System.Diagnostics;
using Emulator.Bus;
using Emulator.Core;
using Emulator.Logging;
using Emulator.MemoryModels;
using Emulator.Peripherals.CPU;
using Emulator.Scheduling;
using Emulator.Time;

namespace Emulator;

/// <summary>
/// One emulated board: the system bus, the harts, the named peripherals and the virtual clock.
///
/// Execution is serial and deterministic: harts run round-robin in slices of one quantum of virtual time
/// on the calling thread. Another thread talks to a running machine only through <see cref="Post"/>,
/// <see cref="RequestPause"/> and the thread-safe peripherals' host-side queues. A seed, when set,
/// shuffles the order of harts and varies their slice lengths per quantum, reproducibly, to expose
/// other interleavings.
/// </summary>
public sealed class Machine
{
    private readonly List<RiscV64> harts = new();
    private readonly Dictionary<string, IPeripheral> byName = new(StringComparer.Ordinal);
    private readonly Dictionary<IPeripheral, string> names = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentQueue<Action> posted = new();
    private readonly SemaphoreSlim postedSignal = new(0);
    private volatile bool pauseRequested;
    private volatile bool breakRequested;
    private HartSharedState? hartShared;
    private ulong htifToHost = ulong.MaxValue;
    private RiscV64? currentHart;
    private Random? perturbation;
    private int? seed;
    private SchedulePolicy schedule = SchedulePolicy.Slices;
    private FineGrainedScheduler? scheduler;
    private MemoryModelKind memoryModel = MemoryModelKind.Sc;
    private WeakMemory? weakMemory;

    public Machine(string name = "machine-0")
    {
        Name = name;
        Log = new Logger();
        SystemBus = new SystemBus(this);
        Clock = new VirtualClock();
        HostInput = new Terminals.HostInput(this);
        Log.VirtualTime = () => Clock.Now;
        // Only the thread running the harts adds their progress (VirtualClock.Now): take the hart once.
        Clock.SliceProgress = () => currentHart?.NanosecondsIntoSlice ?? 0;
        Register("sysbus", new SystemBusPeripheral(SystemBus));
    }

    public string Name { get; }

    public Logger Log { get; }

    public SystemBus SystemBus { get; }

    public VirtualClock Clock { get; }

    /// <summary>Where host bytes enter the machine: at slice boundaries, recorded, replayable (docs/robot.md, Replay).</summary>
    public Terminals.HostInput HostInput { get; }

    public IReadOnlyList<RiscV64> Harts => harts;

    /// <summary>Length of one round-robin slice in virtual nanoseconds (Renode's global quantum; 100 µs by default).</summary>
    public ulong QuantumNanoseconds { get; set; } = 100_000;

    /// <summary>
    /// Whether harts may run hot code as translated host code (docs/translator.md). Default true, false when the
    /// environment variable EMU_NO_TRANSLATION is 1. Each hart also has its own RiscV64.TranslationEnabled.
    /// </summary>
    public bool TranslationEnabled { get; set; } = Environment.GetEnvironmentVariable("EMU_NO_TRANSLATION") != "1";

    /// <summary>
    /// Whether a hart counts rather than executes the rounds of an idle spin it has proven to repeat within its turn
    /// (a WFI that returns at once in a loop that changes nothing; docs/translator.md, "Idle spins"). The guest sees
    /// the same either way. Default true; false when the environment variable EMU_NO_SPIN_SKIP is 1.
    /// </summary>
    public bool SpinSkipping { get; set; } = Environment.GetEnvironmentVariable("EMU_NO_SPIN_SKIP") != "1";

    /// <summary>
    /// Whether hot blocks are compiled on a background thread while the hart goes on interpreting (default true;
    /// false when the environment variable EMU_TRANSLATION_BACKGROUND is 0). The guest sees the same either way; off,
    /// a hart compiles a block where it became hot, so which block entries happen is the same on every run (tests).
    /// </summary>
    public bool BackgroundTranslation { get; set; } = Environment.GetEnvironmentVariable("EMU_TRANSLATION_BACKGROUND") != "0";

    /// <summary>
    /// Counts cache-line transfers between the harts in a MESI-like model of their caches (docs/counters.md,
    /// events 12-17). Off by default; while on, loads and stores take the interpreter's checked path and no
    /// translated code runs, so runs are slower but the instructions executed are the same.
    /// </summary>
    public bool CoherenceModelEnabled
    {
        get => coherenceModelEnabled;
        set
        {
            if (value && harts.Count > CoherenceModel.MaxHarts)
            {
                throw new EmulationException($"the coherence model supports at most {CoherenceModel.MaxHarts} harts; this machine has {harts.Count}");
            }
            coherenceModelEnabled = value;
        }
    }

    private bool coherenceModelEnabled;

    /// <summary>The timeline being recorded (docs/tracing.md), or null: with none, tracing costs nothing.</summary>
    public Tracing.TraceRecorder? Trace { get; private set; }

    /// <summary>Starts recording a Chrome Trace Event timeline into <paramref name="path"/> (written by <see cref="StopTrace"/>).</summary>
    public void StartTrace(string path, int maxEvents = Tracing.TraceRecorder.DefaultMaxEvents)
    {
        if (Trace != null)
        {
            throw new EmulationException($"a trace is already being recorded into {Trace.Path}; stop it first (machine StopTrace)");
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory != null && !Directory.Exists(directory))
        {
            throw new EmulationException($"{path}: the directory does not exist");
        }
        Trace = new Tracing.TraceRecorder(this, path, maxEvents);
    }

    /// <summary>Stops recording and writes the trace file; returns a one-line summary (events written, limit reached).</summary>
    public string StopTrace()
    {
        var trace = Trace ?? throw new EmulationException("no trace is being recorded; start one with machine StartTrace @file.json");
        Trace = null;
        return trace.Write();
    }

    /// <summary>When true, the machine never runs ahead of the host's clock (interactive runs).</summary>
    public bool PaceToHostClock { get; set; }

    /// <summary>When true, a run with every hart waiting and nothing scheduled waits for host input instead of stopping.</summary>
    public bool WaitForHostWhenIdle { get; set; }

    public int? Seed
    {
        get => seed;
        set
        {
            seed = value;
            perturbation = value.HasValue ? new Random(value.Value) : null;
            scheduler = null;
            AttachMemoryModel();
        }
    }

    /// <summary>
    /// The memory model harts see (docs/exploration.md): SC (default) or RVWMO, whose store buffers drain in
    /// orders drawn from <see cref="Seed"/> (0 when unset). Under RVWMO harts run interpreted only.
    /// </summary>
    public MemoryModelKind MemoryModel
    {
        get => memoryModel;
        set
        {
            memoryModel = value;
            AttachMemoryModel();
        }
    }

    private void AttachMemoryModel()
    {
        if (weakMemory == null && memoryModel == MemoryModelKind.Sc)
        {
            return;
        }
        weakMemory?.DrainAll();
        weakMemory = memoryModel == MemoryModelKind.Rvwmo ? new WeakMemory(seed ?? 0) : null;
        foreach (var hart in harts)
        {
            hart.AttachStoreBuffer(weakMemory?.Attach(hart));
        }
    }

    /// <summary>
    /// How harts are interleaved (docs/exploration.md): round-robin slices (default), or a fine-grained policy
    /// (random preemption, PCT) that may switch harts at any instruction, driven by <see cref="Seed"/> (0 when unset).
    /// </summary>
    public SchedulePolicy Schedule
    {
        get => schedule;
        set
        {
            schedule = value;
            scheduler = null;
        }
    }

    public StopReason LastStopReason { get; private set; }

    /// <summary>Exit code set by the guest (finisher, HTIF) when the last stop was <see cref="StopReason.GuestExit"/>.</summary>
    public int ExitCode { get; private set; }

    public bool HasExited { get; private set; }

    public string StopMessage { get; private set; } = "";

    public ulong TotalInstructions
    {
        get
        {
            ulong total = 0;
            foreach (var h in harts)
            {
                total += h.InstructionsExecuted;
            }
            return total;
        }
    }

    /// <summary>Short description of the hart that is executing, for logs ("cpu0: 0x80000010").</summary>
    public string CurrentHartDescription => currentHart == null ? "no cpu" : $"{GetName(currentHart)}: 0x{currentHart.PC:X}";

    public RiscV64? CurrentHart => currentHart;

    /// <summary>The last ELF loaded (symbols for logs and GDB), if any.</summary>
    public Loaders.ElfImage? LoadedImage { get; set; }

    public IReadOnlyCollection<string> PeripheralNames => byName.Keys;

    private readonly List<string> inputFiles = new();

    /// <summary>Full paths of the files this machine was built from (.repl, ELF, binaries, .dtb), for replay files.</summary>
    public IReadOnlyList<string> InputFiles
    {
        get
        {
            lock (inputFiles)
            {
                return inputFiles.ToArray();
            }
        }
    }

    /// <summary>Remembers a file the machine was built from (loaders call this).</summary>
    public void NoteInputFile(string path)
    {
        var full = Path.GetFullPath(path);
        lock (inputFiles)
        {
            if (!inputFiles.Contains(full))
            {
                inputFiles.Add(full);
            }
        }
    }

    public void Register(string name, IPeripheral peripheral)
    {
        if (byName.ContainsKey(name))
        {
            throw new EmulationException($"a peripheral named '{name}' already exists");
        }
        byName[name] = peripheral;
        names[peripheral] = name;
        PeripheralRegistered?.Invoke(name, peripheral);
        if (peripheral is RiscV64 hart)
        {
            hart.AttachTo(this);
            harts.Add(hart);
            harts.Sort((a, b) => a.HartId.CompareTo(b.HartId));
            hart.AttachStoreBuffer(weakMemory?.Attach(hart));
        }
    }

    /// <summary>Raised for every peripheral registered (name, peripheral).</summary>
    public event Action<string, IPeripheral>? PeripheralRegistered;

    /// <summary>Looks a peripheral up by "uart0" or "sysbus.uart0".</summary>
    public bool TryGetByName(string name, out IPeripheral peripheral)
    {
        if (byName.TryGetValue(name, out peripheral!))
        {
            return true;
        }
        if (name.StartsWith("sysbus.", StringComparison.Ordinal) && byName.TryGetValue(name.Substring(7), out peripheral!))
        {
            return true;
        }
        return false;
    }

    public string GetName(IPeripheral peripheral) => names.TryGetValue(peripheral, out var n) ? n : peripheral.GetType().Name;

    public IEnumerable<KeyValuePair<string, IPeripheral>> Peripherals => byName;

    /// <summary>Runs an action on the emulation thread at the next slice boundary (or at once if not running).</summary>
    // Held by the thread inside Run for the whole run: a host thread may touch the machine only when it can
    // take this (TryRunWhileStopped), or by posting to the run.
    private readonly object runGate = new();

    public void Post(Action action)
    {
        posted.Enqueue(action);
        postedSignal.Release();
    }

    public void RequestPause() => pauseRequested = true;

    /// <summary>Ends an idle wait for host input early (new input is queued).</summary>
    internal void WakeUp() => postedSignal.Release();

    /// <summary>True while a hart has halted at a breakpoint or watchpoint and the run is stopping.</summary>
    internal bool BreakRequested => breakRequested;

    /// <summary>The hart that stopped the last run at a breakpoint or watchpoint.</summary>
    public RiscV64? HaltedHart { get; private set; }

    internal void NotifyHartHalted(RiscV64 hart)
    {
        HaltedHart = hart;
        breakRequested = true;
    }

    /// <summary>Watches the HTIF `tohost` doubleword: an odd value v written there ends the run with exit code v >> 1.</summary>
    public void SetHtifToHost(ulong address)
    {
        htifToHost = address;
        hartShared?.SetWatch(address);
    }

    internal HartSharedState GetHartSharedState()
    {
        if (hartShared == null || !hartShared.Matches(SystemBus))
        {
            hartShared = new HartSharedState(SystemBus, harts);
            if (htifToHost != ulong.MaxValue)
            {
                hartShared.SetWatch(htifToHost);
            }
        }
        return hartShared;
    }

    /// <summary>Ends the run: the guest asked to exit (finisher, HTIF) with this code.</summary>
    public void RequestExit(int exitCode, string message)
    {
        HasExited = true;
        ExitCode = exitCode;
        StopMessage = message;
        pauseRequested = true;
    }

    /// <summary>
    /// Restores every peripheral to its power-on state; RAM keeps its contents. Virtual time goes on
    /// (pending events are dropped), so a reset inside a run does not confuse the run's time limit.
    /// </summary>
    public void Reset()
    {
        Clock.ClearEvents();
        weakMemory?.ClearAll();
        foreach (var p in byName.Values)
        {
            p.Reset();
        }
        HasExited = false;
        ExitCode = 0;
        StopMessage = "";
        ResetRequested?.Invoke();
    }

    /// <summary>Raised after <see cref="Reset"/>, so hosts can rerun `reset` macros.</summary>
    public event Action? ResetRequested;

    /// <summary>Runs until the guest exits, a limit is reached, a pause is requested, or every hart waits with nothing scheduled.</summary>
    public StopReason Run(RunLimits limits = default)
    {
        lock (runGate)
        {
            Clock.SetExecutingThread(true);
            try
            {
                return RunSlices(limits);
            }
            finally
            {
                Clock.SetExecutingThread(false);
                Log.FlushRepeats();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the calling thread if no thread is inside <see cref="Run"/> now, and
    /// keeps <see cref="Run"/> from starting until it returns. False (nothing run) while a run is in progress:
    /// post the action instead, the run performs it at its next slice boundary. How long a run takes to reach
    /// that boundary depends on the host's load, so "not done within a second" never means "not running".
    /// </summary>
    public bool TryRunWhileStopped(Action action)
    {
        if (!System.Threading.Monitor.TryEnter(runGate))
        {
            return false;
        }
        try
        {
            action();
            return true;
        }
        finally
        {
            System.Threading.Monitor.Exit(runGate);
        }
    }

    private StopReason RunSlices(RunLimits limits)
    {
        ulong executedSoFar = 0;
        var startTime = Clock.Now;
        var host = Stopwatch.StartNew();
        var hostStartVirtual = Clock.Now;
        pauseRequested = false;
        var order = new RiscV64[harts.Count];
        var idleForHost = false;
        while (true)
        {
            DrainPosted();
            HostInput.DeliverDue(Clock.SliceStart);
            if (Clock.SliceStart >= HostInput.ReplayEnd)
            {
                return Stop(StopReason.RecordingEnd);
            }
            if (HasExited)
            {
                return Stop(StopReason.GuestExit);
            }
            if (breakRequested)
            {
                breakRequested = false;
                return Stop(StopReason.Breakpoint);
            }
            if (pauseRequested)
            {
                pauseRequested = false;
                return Stop(StopReason.Paused);
            }
            var now = Clock.SliceStart;
            Clock.FireDue(now);
            if (HasExited)
            {
                return Stop(StopReason.GuestExit);
            }
            if (limits.MaxVirtualNanoseconds != 0 && now - startTime >= limits.MaxVirtualNanoseconds)
            {
                return Stop(StopReason.TimeLimit);
            }
            if (limits.MaxInstructions != 0 && executedSoFar >= limits.MaxInstructions)
            {
                return Stop(StopReason.InstructionLimit);
            }

            var end = now + QuantumNanoseconds;
            end = Math.Min(end, Clock.NextEventTime);
            if (limits.MaxVirtualNanoseconds != 0)
            {
                end = Math.Min(end, startTime + limits.MaxVirtualNanoseconds);
            }
            if (end <= now)
            {
                end = now + 1;
            }

            var budget = limits.MaxInstructions == 0 ? ulong.MaxValue : limits.MaxInstructions - executedSoFar;
            // Waking from an idle wait for the host, a slice in which no hart can run is skipped: how many such
            // wake-ups happen depends on host timing, and each slice would draw from the seed's random stream.
            var executed = idleForHost && !AnyHartCanRun() ? 0
                : schedule.IsFineGrained ? RunSliceFineGrained(now, end, budget) : RunSlice(now, end, order, budget);
            idleForHost = false;
            weakMemory?.DrainAll();
            executedSoFar += executed;
            if (executed > 0)
            {
                Clock.SliceStart = end;
            }
            else
            {
                // Every hart waits: jump to the next event (or replayed input) instead of burning host time.
                var next = Math.Min(Clock.NextEventTime, HostInput.NextReplayTime);
                if (next == ulong.MaxValue)
                {
                    if (limits.MaxVirtualNanoseconds != 0 && !WaitForHostWhenIdle)
                    {
                        Clock.SliceStart = startTime + limits.MaxVirtualNanoseconds;
                        continue;
                    }
                    if (!WaitForHostWhenIdle)
                    {
                        StopMessage = "every hart waits for an interrupt and nothing is scheduled";
                        return Stop(StopReason.AllHartsIdle);
                    }
                    postedSignal.Wait(50);
                    idleForHost = true;
                    continue;
                }
                if (limits.MaxVirtualNanoseconds != 0)
                {
                    next = Math.Min(next, startTime + limits.MaxVirtualNanoseconds);
                }
                Clock.SliceStart = Math.Max(next, now);
            }
            if (PaceToHostClock)
            {
                PaceTo(host, hostStartVirtual);
            }
        }
    }

    /// <summary>
    /// Gives every hart its share of [now, end): its budget of instructions for the slice. A hart that stops
    /// early in WFI and is woken by another hart's IPI within the slice runs on with what is left of its
    /// budget, in further passes in the same order, so an IPI round trip costs the instructions it takes
    /// rather than a whole quantum. Returns the instruction slots executed (trapping ones included).
    /// </summary>
    private ulong RunSlice(ulong now, ulong end, RiscV64[] order, ulong instructionBudget)
    {
        harts.CopyTo(order);
        if (perturbation != null)
        {
            perturbation.Shuffle(order);
        }
        var remaining = order.Length <= 64 ? stackalloc ulong[order.Length] : new ulong[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var span = end - now;
            if (perturbation != null)
            {
                // Between half and the whole slice, so harts drift against each other differently per seed.
                span = span / 2 + (ulong)perturbation.NextInt64((long)(span / 2) + 1);
            }
            remaining[i] = Math.Max(1UL, order[i].InstructionsFor(span));
            order[i].BeginSlice();
        }
        ulong total = 0;
        try
        {
            var progress = true;
            while (progress)
            {
                progress = false;
                for (var i = 0; i < order.Length; i++)
                {
                    var hart = order[i];
                    if (remaining[i] == 0 || !hart.CanRun)
                    {
                        continue;
                    }
                    var budget = Math.Min(remaining[i], instructionBudget);
                    if (budget == 0)
                    {
                        return total;
                    }
                    currentHart = hart;
                    var executed = hart.Execute(budget);
                    currentHart = null;
                    if (weakMemory != null)
                    {
                        AfterTurnUnderRvwmo(hart);
                    }
                    remaining[i] -= Math.Min(remaining[i], executed);
                    instructionBudget -= Math.Min(instructionBudget, executed);
                    total += executed;
                    progress |= executed > 0;
                    if (HasExited || breakRequested)
                    {
                        return total;
                    }
                }
            }
            return total;
        }
        finally
        {
            foreach (var hart in order)
            {
                hart.EndSlice();
            }
        }
    }

    /// <summary>
    /// A slice under a fine-grained schedule: every hart gets the same budget for [now, end) as in
    /// <see cref="RunSlice"/> (so virtual time, timers and IPIs behave as there), but the schedule decides
    /// after every few instructions which runnable hart goes on.
    /// </summary>
    private ulong RunSliceFineGrained(ulong now, ulong end, ulong instructionBudget)
    {
        if (scheduler == null || scheduler.Policy != schedule || scheduler.HartCount != harts.Count)
        {
            scheduler = new FineGrainedScheduler(schedule, seed ?? 0, harts.Count);
        }
        var remaining = harts.Count <= 64 ? stackalloc ulong[harts.Count] : new ulong[harts.Count];
        for (var i = 0; i < harts.Count; i++)
        {
            remaining[i] = Math.Max(1UL, harts[i].InstructionsFor(end - now));
            harts[i].BeginSlice();
        }
        ulong total = 0;
        try
        {
            while (instructionBudget != 0)
            {
                var index = scheduler.Pick(harts, remaining, out var run);
                if (index < 0)
                {
                    break;
                }
                var hart = harts[index];
                currentHart = hart;
                var executed = hart.Execute(Math.Min(run, Math.Min(remaining[index], instructionBudget)));
                currentHart = null;
                if (weakMemory != null)
                {
                    AfterTurnUnderRvwmo(hart);
                }
                scheduler.Ran(index, executed);
                // A hart that cannot make progress (a debugger halt raced in) sits out the rest of the slice.
                remaining[index] = executed == 0 ? 0 : remaining[index] - Math.Min(remaining[index], executed);
                instructionBudget -= Math.Min(instructionBudget, executed);
                total += executed;
                if (HasExited || breakRequested)
                {
                    break;
                }
            }
            return total;
        }
        finally
        {
            foreach (var hart in harts)
            {
                hart.EndSlice();
            }
        }
    }

    private bool AnyHartCanRun()
    {
        foreach (var hart in harts)
        {
            if (hart.CanRun)
            {
                return true;
            }
        }
        return false;
    }

    private void PaceTo(Stopwatch host, ulong hostStartVirtual)
    {
        var aheadNs = (long)(Clock.SliceStart - hostStartVirtual) - host.Elapsed.Ticks * 100;
        if (aheadNs > 2_000_000)
        {
            postedSignal.Wait(TimeSpan.FromTicks(Math.Min(aheadNs / 100, 50 * TimeSpan.TicksPerMillisecond)));
        }
    }

    private void DrainPosted()
    {
        while (posted.TryDequeue(out var action))
        {
            action();
        }
    }

    /// <summary>A hart going to sleep publishes its stores (RVWMO's progress axiom); a descheduled one drains some.</summary>
    private static void AfterTurnUnderRvwmo(RiscV64 hart)
    {
        var buffer = hart.StoreBufferForModel!;
        if (!hart.CanRun)
        {
            buffer.DrainAll();
        }
        else
        {
            buffer.CommitSome();
        }
    }

    private StopReason Stop(StopReason reason)
    {
        // Whoever looks at a stopped machine (monitor, GDB, tests) sees every store.
        weakMemory?.DrainAll();
        LastStopReason = reason;
        return reason;
    }
}
