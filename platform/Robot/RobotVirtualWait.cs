using System.Diagnostics;

namespace Emulator.Robot;

/// <summary>
/// The waiting loop of the testers: polls a condition each time the tester is signalled (or every few
/// host milliseconds) until the machine's VIRTUAL clock passes start + timeout. It also gives up when the
/// emulation has stopped for good, or when virtual time has not moved for <see cref="StallLimit"/> of host
/// time (every hart idle with nothing scheduled), so a wait can never hang the runner.
/// </summary>
public static class RobotVirtualWait
{
    /// <summary>Host time without any virtual progress after which a wait gives up.</summary>
    public static TimeSpan StallLimit { get; set; } = TimeSpan.FromSeconds(10);

    public static RobotWaitOutcome Until(Emulation emulation, Machine? machine, double timeoutSeconds, Func<bool> attempt,
        ManualResetEventSlim signal, CancellationToken cancellation)
    {
        var host = Stopwatch.StartNew();
        // Read from this (the tester's) thread, the machine's clock never decreases (VirtualClock.Now), so the
        // unsigned `now - start` below cannot wrap into an instant expiry.
        ulong Now() => machine?.Clock.Now ?? (ulong)(host.Elapsed.Ticks * 100);
        var start = Now();
        var limit = timeoutSeconds <= 0 ? 0UL : (ulong)(timeoutSeconds * 1e9);
        var lastVirtual = start;
        var lastProgress = host.Elapsed;
        while (true)
        {
            signal.Reset();
            if (attempt())
            {
                return RobotWaitOutcome.Matched;
            }
            var now = Now();
            if (now - start >= limit)
            {
                return RobotWaitOutcome.TimedOut;
            }
            if (machine != null && !emulation.IsStarted)
            {
                // Nothing runs any more (guest exit, paused by a keyword): no new output can arrive.
                return attempt() ? RobotWaitOutcome.Matched
                    : machine.LastStopReason == StopReason.RecordingEnd ? RobotWaitOutcome.RecordingEnded
                    : RobotWaitOutcome.EmulationStopped;
            }
            if (now != lastVirtual)
            {
                lastVirtual = now;
                lastProgress = host.Elapsed;
            }
            else if (host.Elapsed - lastProgress > StallLimit)
            {
                return attempt() ? RobotWaitOutcome.Matched : RobotWaitOutcome.TimeStalled;
            }
            cancellation.ThrowIfCancellationRequested();
            signal.Wait(10, cancellation);
        }
    }

    /// <summary>Words for a failed wait, appended to the keyword's failure message.</summary>
    public static string Describe(RobotWaitOutcome outcome, double timeoutSeconds) => outcome switch
    {
        RobotWaitOutcome.EmulationStopped => "the emulation stopped before it appeared",
        RobotWaitOutcome.RecordingEnded => "the replay reached the end of the recording before it appeared",
        RobotWaitOutcome.TimeStalled => $"virtual time stopped advancing (every hart idle for {StallLimit.TotalSeconds:0.#} s of host time)",
        _ => $"timeout of {timeoutSeconds.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)} s (virtual) expired",
    };
}
