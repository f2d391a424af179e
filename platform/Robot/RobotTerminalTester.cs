using System.Text;
using System.Text.RegularExpressions;
using Emulator.Core;

namespace Emulator.Robot;

/// <summary>
/// Renode's TerminalTester: collects what the guest transmits on a UART into lines (LF ends a line, CR
/// and ANSI escape sequences are dropped, backspace erases), and lets keywords wait for a line, a prompt
/// or the next line. Matched text is consumed, so the next wait starts after it.
/// </summary>
public sealed class RobotTerminalTester : IDisposable
{
    private const int RecentLineCount = 20;
    private readonly object sync = new();
    private readonly List<(string Text, double Time)> lines = new();
    private readonly StringBuilder partial = new();
    private readonly List<string> recent = new();
    private readonly StringBuilder report = new();
    private readonly ManualResetEventSlim changed = new(false);
    private readonly IUART uart;
    private readonly List<(string Pattern, Regex? Regex)> failingStrings = new();
    private int partialConsumed;
    private int escapeState;

    public RobotTerminalTester(IUART uart, Machine? machine, double timeoutSeconds)
    {
        this.uart = uart;
        Machine = machine;
        TimeoutSeconds = timeoutSeconds;
        uart.CharReceived += OnCharReceived;
    }

    public IUART Uart => uart;

    public Machine? Machine { get; }

    /// <summary>Default timeout of this tester's waits, in virtual seconds.</summary>
    public double TimeoutSeconds { get; set; }

    public bool DefaultPauseEmulation { get; set; }

    public bool DefaultWaitForEcho { get; set; } = true;

    public bool DefaultMatchNextLine { get; set; }

    /// <summary>The last lines the guest printed (consumed or not), for failure reports.</summary>
    public IReadOnlyList<string> RecentLines
    {
        get
        {
            lock (sync)
            {
                var result = recent.ToList();
                if (partial.Length > 0)
                {
                    result.Add(partial.ToString());
                }
                return result;
            }
        }
    }

    /// <summary>Everything received so far (Renode's `Get Terminal Tester Report`).</summary>
    public string Report
    {
        get
        {
            lock (sync)
            {
                return report.ToString();
            }
        }
    }

    /// <summary>`Register Failing Uart String`: a line matching it makes every later wait fail at once.</summary>
    public void RegisterFailingString(string pattern, bool treatAsRegex)
    {
        lock (sync)
        {
            failingStrings.Add((pattern, treatAsRegex ? CreateRegex(pattern) : null));
        }
    }

    public void UnregisterFailingString(string pattern, bool treatAsRegex)
    {
        lock (sync)
        {
            var index = failingStrings.FindIndex(f => f.Pattern == pattern && (f.Regex != null) == treatAsRegex);
            if (index < 0)
            {
                throw new RobotKeywordException("Unable to unregister failing string, entry not found");
            }
            failingStrings.RemoveAt(index);
        }
    }

    public void ClearReport()
    {
        lock (sync)
        {
            report.Clear();
        }
    }

    public void Dispose()
    {
        uart.CharReceived -= OnCharReceived;
        changed.Set();
    }

    /// <summary>Feeds one received byte; public so tests and other hosts can drive a tester directly.</summary>
    public void OnCharReceived(byte value)
    {
        lock (sync)
        {
            var c = (char)value;
            report.Append(c);
            // ANSI escape sequences (colours, cursor moves): ESC '[' params final-byte.
            if (escapeState == 1)
            {
                escapeState = c == '[' ? 2 : 0;
                return;
            }
            if (escapeState == 2)
            {
                if (c >= '@' && c <= '~')
                {
                    escapeState = 0;
                }
                return;
            }
            switch (c)
            {
                case '\x1b':
                    escapeState = 1;
                    return;
                case '\r':
                    return;
                case '\b':
                case '\x7f':
                    if (partial.Length > partialConsumed)
                    {
                        partial.Length--;
                    }
                    break;
                case '\n':
                {
                    var full = partial.ToString();
                    var rest = full.Substring(partialConsumed);
                    // A line whose text was all matched already (prompt + echo) has nothing left to offer.
                    if (partialConsumed == 0 || rest.Length > 0)
                    {
                        lines.Add((rest, VirtualMilliseconds));
                    }
                    recent.Add(full);
                    if (recent.Count > RecentLineCount)
                    {
                        recent.RemoveAt(0);
                    }
                    partial.Clear();
                    partialConsumed = 0;
                    break;
                }
                default:
                    partial.Append(c);
                    break;
            }
        }
        changed.Set();
    }

    private double VirtualMilliseconds => Machine == null ? 0 : Machine.Clock.Now / 1e6;

    /// <summary>Sends text to the guest (queued by the UART, safe from this thread).</summary>
    public void Write(string text)
    {
        foreach (var c in text)
        {
            uart.WriteChar((byte)c);
        }
    }

    /// <summary>
    /// Waits for a line containing <paramref name="pattern"/> (or matching it as a regex). Lines before the
    /// match are dropped; with <paramref name="matchNextLine"/> only the very next line may match.
    /// </summary>
    public (RobotWaitOutcome Outcome, RobotTerminalMatch? Match) WaitFor(Emulation emulation, string pattern, double timeoutSeconds,
        bool treatAsRegex, bool includeUnfinishedLine, bool matchNextLine, CancellationToken cancellation)
    {
        var regex = treatAsRegex ? CreateRegex(pattern) : null;
        RobotTerminalMatch? result = null;
        var nextLineFailed = false;
        string? failingLine = null;
        bool Attempt()
        {
            lock (sync)
            {
                failingLine = FindFailingLine();
                if (failingLine != null)
                {
                    return true;
                }
                var limit = matchNextLine ? Math.Min(1, lines.Count) : lines.Count;
                for (var i = 0; i < limit; i++)
                {
                    if (TryMatch(lines[i].Text, pattern, regex, out var groups, out _))
                    {
                        result = new RobotTerminalMatch(lines[i].Text, lines[i].Time, groups);
                        lines.RemoveRange(0, i + 1);
                        return true;
                    }
                }
                if (matchNextLine && lines.Count > 0)
                {
                    nextLineFailed = true;
                    return true;
                }
                if (includeUnfinishedLine && partial.Length > partialConsumed)
                {
                    var text = partial.ToString(partialConsumed, partial.Length - partialConsumed);
                    if (TryMatch(text, pattern, regex, out var groups, out var end))
                    {
                        result = new RobotTerminalMatch(text.Substring(0, end), VirtualMilliseconds, groups);
                        lines.Clear();
                        partialConsumed += end;
                        return true;
                    }
                }
                return false;
            }
        }
        var outcome = RobotVirtualWait.Until(emulation, Machine, timeoutSeconds, Attempt, changed, cancellation);
        ThrowIfFailing(failingLine);
        if (nextLineFailed)
        {
            return (RobotWaitOutcome.TimedOut, null);
        }
        return (outcome, result);
    }

    /// <summary>Waits for the next complete line, whatever it says.</summary>
    public (RobotWaitOutcome Outcome, RobotTerminalMatch? Match) NextLine(Emulation emulation, double timeoutSeconds, CancellationToken cancellation)
    {
        RobotTerminalMatch? result = null;
        string? failingLine = null;
        bool Attempt()
        {
            lock (sync)
            {
                failingLine = FindFailingLine();
                if (failingLine != null)
                {
                    return true;
                }
                if (lines.Count == 0)
                {
                    return false;
                }
                result = new RobotTerminalMatch(lines[0].Text, lines[0].Time, Array.Empty<string>());
                lines.RemoveAt(0);
                return true;
            }
        }
        var outcome = RobotVirtualWait.Until(emulation, Machine, timeoutSeconds, Attempt, changed, cancellation);
        ThrowIfFailing(failingLine);
        return (outcome, result);
    }

    /// <summary>The first unconsumed line that contains a registered failing string (call under the lock).</summary>
    private string? FindFailingLine()
    {
        foreach (var (line, _) in lines)
        {
            if (failingStrings.Any(f => TryMatch(line, f.Pattern, f.Regex, out _, out _)))
            {
                return line;
            }
        }
        return null;
    }

    private static void ThrowIfFailing(string? failingLine)
    {
        if (failingLine != null)
        {
            // Renode's UartKeywords message, character for character, so `Run Keyword And Expect Error` patterns hold in both.
            throw new RobotKeywordException($"Terminal tester failed!\n\nTest failing entry has been found on UART:\n{failingLine}");
        }
    }

    private static Regex CreateRegex(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException e)
        {
            throw new RobotKeywordException($"Invalid regular expression '{pattern}': {e.Message}");
        }
    }

    private static bool TryMatch(string text, string pattern, Regex? regex, out IReadOnlyList<string> groups, out int end)
    {
        if (regex == null)
        {
            var index = text.IndexOf(pattern, StringComparison.Ordinal);
            groups = Array.Empty<string>();
            end = index < 0 ? 0 : index + pattern.Length;
            return index >= 0;
        }
        var match = regex.Match(text);
        groups = match.Success ? match.Groups.Cast<Group>().Skip(1).Select(g => g.Value).ToArray() : Array.Empty<string>();
        end = match.Success ? match.Index + match.Length : 0;
        return match.Success;
    }
}
