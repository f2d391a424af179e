namespace Emulator.Core;

/// <summary>A peripheral whose output lines are addressed by number in a .repl (`[0, 1] -> cpu0@[3, 7]`).</summary>
public interface INumberedGPIOOutput
{
    IReadOnlyDictionary<int, GPIO> Connections { get; }
}
