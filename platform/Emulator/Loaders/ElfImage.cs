namespace Emulator.Loaders;

/// <summary>What an ELF load left behind: the entry point and the symbols (for GDB, logs and HTIF).</summary>
public sealed class ElfImage
{
    public ElfImage(string path, ulong entryPoint, IReadOnlyDictionary<string, ulong> symbols, ulong lowestAddress, ulong highestAddress)
    {
        Path = path;
        EntryPoint = entryPoint;
        Symbols = symbols;
        LowestAddress = lowestAddress;
        HighestAddress = highestAddress;
    }

    public string Path { get; }

    public ulong EntryPoint { get; }

    public IReadOnlyDictionary<string, ulong> Symbols { get; }

    /// <summary>Lowest and one-past-highest physical address written by the load.</summary>
    public ulong LowestAddress { get; }

    public ulong HighestAddress { get; }

    /// <summary>The symbol that contains <paramref name="address"/>, as "name+0x10", or null.</summary>
    public string? Describe(ulong address)
    {
        string? best = null;
        ulong bestValue = 0;
        foreach (var (name, value) in Symbols)
        {
            if (value <= address && (best == null || value > bestValue))
            {
                best = name;
                bestValue = value;
            }
        }
        return best == null ? null : address == bestValue ? best : $"{best}+0x{address - bestValue:X}";
    }
}
