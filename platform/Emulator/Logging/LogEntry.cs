namespace Emulator.Logging;

/// <summary>One log line: source is the peripheral's name (e.g. "uart0") or a subsystem.</summary>
public readonly record struct LogEntry(DateTime HostTime, ulong VirtualTimeNs, LogLevel Level, string Source, string Message)
{
    /// <summary>Renode's console form: `HH:mm:ss.ffff [WARNING] uart0: message`.</summary>
    public override string ToString()
    {
        var level = Level.ToString().ToUpperInvariant();
        return Source.Length == 0
            ? $"{HostTime:HH:mm:ss.ffff} [{level}] {Message}"
            : $"{HostTime:HH:mm:ss.ffff} [{level}] {Source}: {Message}";
    }
}
