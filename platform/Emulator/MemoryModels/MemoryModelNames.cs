using Emulator.Core;

namespace Emulator.MemoryModels;

/// <summary>The names of memory models on the command line and in the monitor: "sc" and "rvwmo".</summary>
public static class MemoryModelNames
{
    public static MemoryModelKind Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "sc" => MemoryModelKind.Sc,
        "rvwmo" => MemoryModelKind.Rvwmo,
        _ => throw new EmulationException($"unknown memory model '{text}'; expected sc or rvwmo"),
    };

    public static string Name(MemoryModelKind kind) => kind == MemoryModelKind.Rvwmo ? "rvwmo" : "sc";
}
