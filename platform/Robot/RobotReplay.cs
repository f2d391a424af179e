using Emulator.Terminals;

namespace Emulator.Robot;

/// <summary>
/// `emu replay FILE` for a failed test: runs that one test of its suite again, its first machine driven by the
/// recorded input at the recorded virtual times (what the test's keywords type is ignored) and stopped where
/// the recording stopped; prints the console UART's output and returns 1 when the test fails again, 0 otherwise.
/// </summary>
public static class RobotReplay
{
    public static int Run(ReplayRecording recording, Stream stdout, TextWriter stderr)
    {
        if (recording.Arguments.Count < 2)
        {
            stderr.WriteLine("emu replay: a test recording names its suite and test");
            return 2;
        }
        var suitePath = recording.Arguments[0];
        var testName = recording.Arguments[1];
        byte[] output = Array.Empty<byte>();
        var options = new RobotRunOptions
        {
            Seed = recording.Seed,
            Replay = recording,
            ReplayOutput = bytes => output = bytes,
            ResultsDirectory = Path.Combine(Path.GetTempPath(), "emu-replay"),
        };
        foreach (var pair in recording.Arguments.Skip(2))
        {
            var colon = pair.IndexOf(':');
            if (colon > 0)
            {
                options.Variables[pair[..colon]] = pair[(colon + 1)..];
            }
        }
        var result = RobotSuiteRunner.Run(suitePath, options);
        var test = result.Tests.FirstOrDefault(t => t.Name == testName);
        stdout.Write(output);
        stdout.Flush();
        if (test == null)
        {
            stderr.WriteLine($"emu replay: {suitePath} has no test '{testName}'{(result.Error != null ? $" ({result.Error})" : "")}");
            return 2;
        }
        var status = test.Status == RobotTestStatus.Fail ? "FAIL" : test.Status == RobotTestStatus.Pass ? "PASS" : "SKIP";
        stderr.WriteLine($"emu replay: {test.FullName}: {status}{(test.Message.Length > 0 ? ": " + test.Message : "")}");
        stderr.WriteLine($"emu replay: recorded: {recording.TestStatus}: {recording.TestMessage}");
        stderr.WriteLine(SessionRecorder.Compare(recording, output));
        return test.Status == RobotTestStatus.Fail ? 1 : 0;
    }
}
