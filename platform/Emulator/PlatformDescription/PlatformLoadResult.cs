namespace Emulator.PlatformDescription;

/// <summary>What a platform load did: the peripherals it created (by name) and the init/reset statements it left for the Monitor.</summary>
public sealed class PlatformLoadResult
{
    internal PlatformLoadResult(IReadOnlyList<string> createdNames, IReadOnlyList<InitCommand> initCommands,
        IReadOnlyList<InitCommand> resetCommands, IReadOnlyList<InitCommand> preinitCommands)
    {
        CreatedNames = createdNames;
        InitCommands = initCommands;
        ResetCommands = resetCommands;
        PreinitCommands = preinitCommands;
    }

    public IReadOnlyList<string> CreatedNames { get; }

    /// <summary>`init:` statements, prefixed with their object's name, in file order: run them after the load.</summary>
    public IReadOnlyList<InitCommand> InitCommands { get; }

    /// <summary>`reset:` statements (Renode's `name.reset` macro): run them after every machine reset.</summary>
    public IReadOnlyList<InitCommand> ResetCommands { get; }

    /// <summary>`preinit:` statements (unprefixed in Renode; ObjectName is the entry's name for reference).</summary>
    public IReadOnlyList<InitCommand> PreinitCommands { get; }
}
