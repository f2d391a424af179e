using System.Globalization;
using Emulator.Core;

namespace Emulator.Scheduling;

/// <summary>
/// A schedule policy as written on the command line and in the monitor: `slices` (default), `random[:N]`
/// (switch after 1..N instructions, N = 8 by default) or `pct:D[:K]` (PCT of depth D over an estimated run
/// of K instructions, 1,000,000 by default).
/// </summary>
public sealed record SchedulePolicy(ScheduleKind Kind, int Depth = 0, ulong Length = 0)
{
    public const int DefaultRandomRun = 8;
    public const ulong DefaultPctLength = 1_000_000;

    public static SchedulePolicy Slices { get; } = new(ScheduleKind.Slices);

    /// <summary>True when harts may be switched at any instruction (not only at slice ends).</summary>
    public bool IsFineGrained => Kind != ScheduleKind.Slices;

    public static SchedulePolicy Parse(string text)
    {
        var parts = text.Trim().ToLowerInvariant().Split(':');
        switch (parts[0])
        {
            case "slices" when parts.Length == 1:
                return Slices;
            case "random" when parts.Length <= 2:
                var run = parts.Length == 2 ? ParseNumber(parts[1], text) : DefaultRandomRun;
                return new SchedulePolicy(ScheduleKind.Random, 0, run);
            case "pct" when parts.Length is 2 or 3:
                var depth = ParseNumber(parts[1], text);
                var length = parts.Length == 3 ? ParseNumber(parts[2], text) : DefaultPctLength;
                if (depth > 64)
                {
                    throw new EmulationException($"schedule '{text}': PCT depth must be 1..64");
                }
                return new SchedulePolicy(ScheduleKind.Pct, (int)depth, length);
            default:
                throw new EmulationException($"unknown schedule '{text}'; expected slices, random[:N] or pct:D[:K]");
        }
    }

    private static ulong ParseNumber(string part, string text)
    {
        if (!ulong.TryParse(part.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v == 0)
        {
            throw new EmulationException($"schedule '{text}': '{part}' is not a positive integer");
        }
        return v;
    }

    public override string ToString() => Kind switch
    {
        ScheduleKind.Slices => "slices",
        ScheduleKind.Random => Length == DefaultRandomRun ? "random" : $"random:{Length}",
        _ => Length == DefaultPctLength ? $"pct:{Depth}" : $"pct:{Depth}:{Length}",
    };
}
