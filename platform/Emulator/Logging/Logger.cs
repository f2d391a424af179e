namespace Emulator.Logging;

/// <summary>
/// The machine's log. Entries below the level of their source (or the global level) are dropped before
/// formatting; sinks (stderr, a file, a log tester) subscribe to <see cref="EntryLogged"/>.
/// </summary>
public sealed class Logger
{
    private readonly Dictionary<string, LogLevel> sourceLevels = new(StringComparer.Ordinal);
    private readonly object sync = new();

    public LogLevel Level { get; set; } = LogLevel.Info;

    /// <summary>Supplies the virtual time stamped on entries; the machine sets it.</summary>
    public Func<ulong>? VirtualTime { get; set; }

    public event Action<LogEntry>? EntryLogged;

    public void SetLevel(LogLevel level, string? source = null)
    {
        lock (sync)
        {
            if (source == null)
            {
                Level = level;
                sourceLevels.Clear();
            }
            else
            {
                sourceLevels[source] = level;
            }
        }
    }

    public LogLevel LevelOf(string source)
    {
        lock (sync)
        {
            return sourceLevels.TryGetValue(source, out var level) ? level : Level;
        }
    }

    public bool IsEnabled(LogLevel level, string source) => level >= LevelOf(source);

    public void Log(LogLevel level, string source, string message)
    {
        if (!IsEnabled(level, source))
        {
            return;
        }
        var entry = new LogEntry(DateTime.Now, VirtualTime?.Invoke() ?? 0, level, source, message);
        LogEntry? summary = null;
        lock (sync)
        {
            // A guest stuck in a loop can raise the same warning millions of times: after the first, identical
            // consecutive warnings and errors are only counted, and the count is logged before the next
            // different entry (or at the end of a run, FlushRepeats).
            if (level >= LogLevel.Warning && lastFolded is { } last && last.Level == level && last.Source == source && last.Message == message)
            {
                repeats++;
                return;
            }
            summary = TakeRepeatSummary();
            lastFolded = level >= LogLevel.Warning ? entry : null;
        }
        if (summary is { } s)
        {
            EntryLogged?.Invoke(s);
        }
        EntryLogged?.Invoke(entry);
    }

    /// <summary>Logs the "repeated N times" line for identical warnings still being counted.</summary>
    public void FlushRepeats()
    {
        LogEntry? summary;
        lock (sync)
        {
            summary = TakeRepeatSummary();
            lastFolded = null;
        }
        if (summary is { } s)
        {
            EntryLogged?.Invoke(s);
        }
    }

    private LogEntry? lastFolded;
    private long repeats;

    private LogEntry? TakeRepeatSummary()
    {
        if (lastFolded is not { } last || repeats == 0)
        {
            return null;
        }
        var count = repeats;
        repeats = 0;
        return last with { HostTime = DateTime.Now, VirtualTimeNs = VirtualTime?.Invoke() ?? last.VirtualTimeNs, Message = $"... repeated {count} times" };
    }

    public void Warning(string source, string message) => Log(LogLevel.Warning, source, message);

    public void Error(string source, string message) => Log(LogLevel.Error, source, message);

    public void Info(string source, string message) => Log(LogLevel.Info, source, message);

    public void Debug(string source, string message) => Log(LogLevel.Debug, source, message);
}
