using System.Globalization;
using System.Text.RegularExpressions;

namespace Emulator.Robot;

/// <summary>Robot's time strings: `10`, `1.5`, `10s`, `500ms`, `2 minutes`, `1h 2min 3s`, `00:01:30`.</summary>
public static class RobotTime
{
    // Longer unit names first: the alternation takes the first that matches (`2 minutes`, not `2 m` + `inutes`).
    private static readonly Regex Part = new(@"([0-9]*\.?[0-9]+)\s*(milliseconds?|millis|ms|seconds?|secs|sec|s|minutes?|mins|min|m|hours?|h|days?|d)?", RegexOptions.IgnoreCase);

    public static TimeSpan Parse(string text)
    {
        var t = text.Trim();
        if (t.Length == 0)
        {
            throw new RobotKeywordException("Invalid time string ''.");
        }
        if (t.Contains(':') && TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var clock))
        {
            return clock;
        }
        var negative = t.StartsWith('-');
        var rest = negative ? t.Substring(1) : t;
        var total = 0.0;
        var position = 0;
        foreach (Match m in Part.Matches(rest))
        {
            if (rest.Substring(position, m.Index - position).Trim().Length > 0)
            {
                throw new RobotKeywordException($"Invalid time string '{text}'.");
            }
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var unit = m.Groups[2].Value.ToLowerInvariant();
            total += unit switch
            {
                "" or "s" or "sec" or "secs" or "second" or "seconds" => value,
                "ms" or "millis" or "millisecond" or "milliseconds" => value / 1000,
                "m" or "min" or "mins" or "minute" or "minutes" => value * 60,
                "h" or "hour" or "hours" => value * 3600,
                _ => value * 86400,
            };
            position = m.Index + m.Length;
        }
        if (position == 0 || rest.Substring(position).Trim().Length > 0)
        {
            throw new RobotKeywordException($"Invalid time string '{text}'.");
        }
        return TimeSpan.FromSeconds(negative ? -total : total);
    }
}
