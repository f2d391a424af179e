namespace Emulator.Cli;

/// <summary>A script (IsScript) or an -e command, in command-line order.</summary>
public sealed record HostStep(bool IsScript, string Text);
