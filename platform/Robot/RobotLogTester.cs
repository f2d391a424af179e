using System.Text.RegularExpressions;
using Emulator.Logging;

namespace Emulator.Robot;

/// <summary>
/// Renode's LogTester: records the log entries of every machine of the emulation (also machines created
/// after it) as `source: message`, and lets keywords wait for an entry or check that none appears.
/// </summary>
public sealed class RobotLogTester : IDisposable
{
    private readonly object sync = new();
    private readonly Emulation emulation;
    private readonly List<(LogEntry Entry, string Text)> entries = new();
    private readonly Dictionary<Machine, Action<LogEntry>> attached = new();
    private readonly ManualResetEventSlim changed = new(false);
    private readonly int maxEntries;

    public RobotLogTester(Emulation emulation, double timeoutSeconds, int maxEntries = 1_000_000)
    {
        this.emulation = emulation;
        TimeoutSeconds = timeoutSeconds;
        this.maxEntries = maxEntries;
        AttachNewMachines();
    }

    public double TimeoutSeconds { get; set; }

    public bool DefaultPauseEmulation { get; set; }

    /// <summary>Subscribes to machines created since the last call.</summary>
    public void AttachNewMachines()
    {
        foreach (var machine in emulation.Machines)
        {
            lock (sync)
            {
                if (attached.ContainsKey(machine))
                {
                    continue;
                }
                Action<LogEntry> handler = OnEntry;
                attached[machine] = handler;
                machine.Log.EntryLogged += handler;
            }
        }
    }

    public void ClearHistory()
    {
        lock (sync)
        {
            entries.Clear();
        }
    }

    public void Dispose()
    {
        lock (sync)
        {
            foreach (var (machine, handler) in attached)
            {
                machine.Log.EntryLogged -= handler;
            }
            attached.Clear();
        }
        changed.Set();
    }

    /// <summary>Records one entry; public so hosts can feed entries from other sources.</summary>
    public void OnEntry(LogEntry entry)
    {
        var text = entry.Source.Length == 0 ? entry.Message : $"{entry.Source}: {entry.Message}";
        lock (sync)
        {
            entries.Add((entry, text));
            if (entries.Count > maxEntries)
            {
                entries.RemoveAt(0);
            }
        }
        changed.Set();
    }

    /// <summary>The last buffered entries, for failure messages.</summary>
    public IReadOnlyList<string> LastEntries(int count)
    {
        lock (sync)
        {
            return entries.Skip(Math.Max(0, entries.Count - count)).Select(e => e.Text).ToList();
        }
    }

    /// <summary>Waits for an entry matching <paramref name="pattern"/>; unless <paramref name="keep"/>, it and earlier entries are consumed.</summary>
    public (RobotWaitOutcome Outcome, string? Text) WaitFor(string pattern, double timeoutSeconds, bool keep, bool treatAsRegex, LogLevel? level, CancellationToken cancellation)
    {
        Regex? regex = null;
        if (treatAsRegex)
        {
            try
            {
                regex = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(5));
            }
            catch (ArgumentException e)
            {
                throw new RobotKeywordException($"Invalid regular expression '{pattern}': {e.Message}");
            }
        }
        string? found = null;
        bool Attempt()
        {
            AttachNewMachines();
            lock (sync)
            {
                for (var i = 0; i < entries.Count; i++)
                {
                    var (entry, text) = entries[i];
                    if (level.HasValue && entry.Level != level.Value)
                    {
                        continue;
                    }
                    if (regex != null ? regex.IsMatch(text) : text.Contains(pattern, StringComparison.Ordinal))
                    {
                        found = text;
                        if (!keep)
                        {
                            entries.RemoveRange(0, i + 1);
                        }
                        return true;
                    }
                }
                return false;
            }
        }
        var machine = emulation.Machines.Count == 1 ? emulation.Machines[0] : emulation.CurrentMachine;
        var outcome = RobotVirtualWait.Until(emulation, machine, timeoutSeconds, Attempt, changed, cancellation);
        return (outcome, found);
    }
}
