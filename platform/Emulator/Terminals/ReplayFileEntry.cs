namespace Emulator.Terminals;

/// <summary>A file a recorded run was built from, with its SHA-256 (hex).</summary>
public sealed record ReplayFileEntry(string Path, string Sha256);
