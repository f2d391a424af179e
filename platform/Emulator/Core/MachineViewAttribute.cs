namespace Emulator.Core;

/// <summary>
/// Marks a type that stands for the machine in another API (Renode's <c>IMachine</c>): a constructor parameter of
/// this type is injected, like <see cref="Machine"/> itself, with the view <paramref name="factory"/> makes for
/// the machine being built. The engine knows nothing else about such APIs.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, Inherited = false)]
public sealed class MachineViewAttribute : Attribute
{
    public MachineViewAttribute(Type factory)
    {
        Factory = factory;
    }

    /// <summary>A type implementing <see cref="IMachineViewFactory"/> with a public parameterless constructor.</summary>
    public Type Factory { get; }
}
