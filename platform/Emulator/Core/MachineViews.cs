using System.Reflection;
using System.Runtime.CompilerServices;

namespace Emulator.Core;

/// <summary>
/// One view object per machine and factory (see <see cref="MachineViewAttribute"/>), so every peripheral of a
/// machine sees the same Renode <c>IMachine</c>, and a view's state lives exactly as long as its machine.
/// </summary>
public static class MachineViews
{
    private static readonly ConditionalWeakTable<Machine, Dictionary<Type, object>> Views = new();

    public static bool IsView(Type type) => type.GetCustomAttribute<MachineViewAttribute>(inherit: false) != null;

    /// <summary>The view of <paramref name="machine"/> for a type marked with <see cref="MachineViewAttribute"/>.</summary>
    public static object Get(Machine machine, Type viewType)
    {
        var attribute = viewType.GetCustomAttribute<MachineViewAttribute>(inherit: false)
            ?? throw new ArgumentException($"{viewType} is not a machine view", nameof(viewType));
        var perMachine = Views.GetValue(machine, _ => new Dictionary<Type, object>());
        lock (perMachine)
        {
            if (!perMachine.TryGetValue(attribute.Factory, out var view))
            {
                var factory = (IMachineViewFactory)Activator.CreateInstance(attribute.Factory)!;
                view = factory.Create(machine);
                perMachine[attribute.Factory] = view;
            }
            return view;
        }
    }
}
