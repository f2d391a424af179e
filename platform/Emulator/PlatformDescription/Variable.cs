using System.Reflection;
using Emulator.Core;
using Emulator.PlatformDescription.Syntax;

namespace Emulator.PlatformDescription;

/// <summary>
/// One declared name while a platform description is processed: all the entries for it merged
/// (last attribute wins), its resolved type, and later its instance.
/// </summary>
internal sealed class Variable
{
    public Variable(string name, SourcePosition? position)
    {
        Name = name;
        Position = position;
    }

    public string Name { get; }

    public SourcePosition? Position { get; }

    /// <summary>The entry that declared it with a type; null for objects that were already in the machine.</summary>
    public Entry? CreatingEntry { get; set; }

    /// <summary>An object the machine had before this load (update only).</summary>
    public IPeripheral? Existing { get; set; }

    public Type? Type { get; set; }

    public object? Instance { get; set; }

    public ConstructorInfo? Constructor { get; set; }

    public Dictionary<string, ValueAttribute> ConstructorAttributes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ValueAttribute> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>Interrupt sources by key ("#3" for numbered outputs, the property name otherwise); null value = `-> none`.</summary>
    public Dictionary<string, IrqPlan?> Irqs { get; } = new(StringComparer.Ordinal);

    public List<InitCommand> Init { get; } = new();

    public List<InitCommand> ResetStatements { get; } = new();

    public List<InitCommand> Preinit { get; } = new();

    public Registration? Registration { get; set; }

    public string? Alias { get; set; }

    public SourcePosition? AliasPosition { get; set; }

    public bool IsCreated => CreatingEntry != null;

    public bool IsRegistered => Registration is { IsNone: false };

    public string FinalName => Alias ?? Name;
}
