using Antmicro.Renode.Peripherals;
using Emulator.Core;
using IPeripheral = Antmicro.Renode.Peripherals.IPeripheral;
using Emulator.Devicetree;
using Emulator.RenodeApi;
using EngineMachine = Emulator.Machine;

namespace Antmicro.Renode.Core;

/// <summary>
/// Renode's Machine as a view of an engine machine: one per engine machine (peripherals taking <c>IMachine</c> or
/// <c>Machine</c> all get the same object). It forwards to the engine and remembers nothing of its own.
/// </summary>
[MachineView(typeof(RenodeMachineFactory))]
public sealed class Machine : IMachine
{
    private static readonly List<WeakReference<Machine>> Live = new();

    internal Machine(EngineMachine engine)
    {
        Engine = engine;
        lock (Live)
        {
            Live.RemoveAll(w => !w.TryGetTarget(out _));
            Live.Add(new WeakReference<Machine>(this));
        }
    }

    /// <summary>The engine machine behind this view.</summary>
    public EngineMachine Engine { get; }

    /// <summary>The Renode view of an engine machine (the one its peripherals are given).</summary>
    public static Machine For(EngineMachine engine) => (Machine)MachineViews.Get(engine, typeof(Machine));

    public void Pause() => Engine.RequestPause();

    public void PauseAndRequestEmulationPause(bool precise = false) => Engine.RequestPause();

    public void RequestReset()
    {
        Engine.Post(() =>
        {
            Engine.Reset();
            BootSetup.RestoreBootState(Engine);
        });
    }

    public void Reset() => Engine.Reset();

    public string GetLocalName(IPeripheral peripheral) =>
        TryGetAnyName(peripheral, out var name) ? name : throw new KeyNotFoundException($"{peripheral.GetType().Name} is not registered in {Engine.Name}");

    public bool TryGetAnyName(IPeripheral peripheral, out string name)
    {
        foreach (var (registeredName, registered) in Engine.Peripherals)
        {
            if (ReferenceEquals(registered, peripheral))
            {
                name = registeredName;
                return true;
            }
        }
        name = "";
        return false;
    }

    public bool TryGetByName<T>(string name, out T peripheral) where T : class, IPeripheral
    {
        if (Engine.TryGetByName(name, out var found) && found is T typed)
        {
            peripheral = typed;
            return true;
        }
        peripheral = null!;
        return false;
    }

    public bool IsRegistered(IPeripheral peripheral) => TryGetAnyName(peripheral, out _);

    public override string ToString() => Engine.Name;

    /// <summary>
    /// The machine a peripheral belongs to, for logging: the one it is registered in, else (a peripheral still
    /// being built, or used alone in a test) the machine whose view was made last.
    /// </summary>
    internal static Machine? Owning(object element)
    {
        lock (Live)
        {
            Machine? newest = null;
            foreach (var weak in Live)
            {
                if (!weak.TryGetTarget(out var machine))
                {
                    continue;
                }
                if (ReferenceEquals(machine, element) || (element is IPeripheral p && machine.IsRegistered(p)))
                {
                    return machine;
                }
                newest = machine;
            }
            return newest;
        }
    }
}
