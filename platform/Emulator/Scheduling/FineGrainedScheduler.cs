using Emulator.Peripherals.CPU;

namespace Emulator.Scheduling;

/// <summary>
/// The choices of a fine-grained schedule: which runnable hart runs next and for how many instructions.
/// All randomness comes from one generator seeded by the machine's seed, so a run replays exactly.
///
/// PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010): the n harts get distinct random
/// priorities d..d+n-1; d-1 change points k_1..k_{d-1} are drawn uniformly over the estimated run length
/// K (in instructions, counted over all harts); when the run reaches step k_i, the running hart's
/// priority drops to i, below every initial one. The highest-priority runnable hart always runs. A bug
/// of depth d is then found with probability at least 1/(n K^(d-1)) per run.
/// </summary>
internal sealed class FineGrainedScheduler
{
    // PCT re-evaluates who is highest at least this often, so a higher-priority hart woken by an IPI
    // (or leaving WFI) takes over within a few instructions.
    private const ulong PctMaxRun = 32;

    private readonly SchedulePolicy policy;
    private readonly Random random;
    private readonly int[] priority;
    private readonly ulong[] changeSteps;
    private readonly int[] changePriority;
    private int nextChange;
    private ulong steps;

    public FineGrainedScheduler(SchedulePolicy policy, int seed, int hartCount)
    {
        this.policy = policy;
        random = new Random(seed);
        priority = new int[hartCount];
        changeSteps = Array.Empty<ulong>();
        changePriority = Array.Empty<int>();
        if (policy.Kind != ScheduleKind.Pct)
        {
            return;
        }
        var depth = policy.Depth;
        var initial = Enumerable.Range(depth, hartCount).ToArray();
        random.Shuffle(initial);
        initial.CopyTo(priority, 0);
        var points = new (ulong Step, int Priority)[depth - 1];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = (1 + (ulong)random.NextInt64((long)Math.Min(policy.Length, long.MaxValue)), i + 1);
        }
        Array.Sort(points);
        changeSteps = points.Select(p => p.Step).ToArray();
        changePriority = points.Select(p => p.Priority).ToArray();
    }

    public SchedulePolicy Policy => policy;

    public int HartCount => priority.Length;

    /// <summary>Instructions executed under this schedule so far (PCT's step count).</summary>
    public ulong Steps => steps;

    /// <summary>
    /// Picks the hart to run among those with budget left in the slice that can run, and how many
    /// instructions it may run before the next decision. Returns -1 when none can run.
    /// </summary>
    public int Pick(IReadOnlyList<RiscV64> harts, ReadOnlySpan<ulong> remaining, out ulong run)
    {
        run = 0;
        if (policy.Kind == ScheduleKind.Pct)
        {
            var best = -1;
            for (var i = 0; i < harts.Count; i++)
            {
                if (remaining[i] != 0 && harts[i].CanRun && (best < 0 || priority[i] > priority[best]))
                {
                    best = i;
                }
            }
            if (best >= 0)
            {
                run = PctMaxRun;
                if (nextChange < changeSteps.Length)
                {
                    run = Math.Min(run, changeSteps[nextChange] - steps);
                }
            }
            return best;
        }
        Span<int> candidates = stackalloc int[harts.Count];
        var count = 0;
        for (var i = 0; i < harts.Count; i++)
        {
            if (remaining[i] != 0 && harts[i].CanRun)
            {
                candidates[count++] = i;
            }
        }
        if (count == 0)
        {
            return -1;
        }
        run = 1 + (ulong)random.NextInt64((long)policy.Length);
        return candidates[random.Next(count)];
    }

    /// <summary>Accounts for <paramref name="executed"/> instructions run by hart <paramref name="index"/>; passes PCT's change points.</summary>
    public void Ran(int index, ulong executed)
    {
        steps += executed;
        while (nextChange < changeSteps.Length && steps >= changeSteps[nextChange])
        {
            priority[index] = changePriority[nextChange];
            nextChange++;
        }
    }

    /// <summary>Current priorities (PCT), for the log.</summary>
    public IReadOnlyList<int> Priorities => priority;
}
