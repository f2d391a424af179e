using Emulator.Terminals;

namespace Emulator.Cli;

/// <summary>
/// `emu replay FILE`: re-runs a recorded `emu run`, session or failed Robot test with the recorded input at the
/// recorded virtual times, printing the same UART output and returning the same exit code. It refuses (exit 2)
/// when a file the recording was built from is gone or changed, naming it.
/// </summary>
public static class ReplayCommand
{
    public const int ChangedExitCode = 2;

    public static int Run(string[] args, Stream stdout, TextWriter stderr)
    {
        if (args.Length != 1 || args[0].StartsWith('-'))
        {
            stderr.WriteLine("usage: emu replay FILE   (a replay file written by --record or by `emu test` for a failed test)");
            return ChangedExitCode;
        }
        var recording = ReplayRecording.Load(args[0]);
        var changed = recording.FindChangedFiles();
        if (changed.Count > 0)
        {
            foreach (var line in changed)
            {
                stderr.WriteLine($"emu replay: {line}");
            }
            stderr.WriteLine("emu replay: the run cannot be replayed as recorded");
            return ChangedExitCode;
        }
        if (recording.WorkingDirectory.Length > 0 && Directory.Exists(recording.WorkingDirectory))
        {
            Directory.SetCurrentDirectory(recording.WorkingDirectory);
        }
        switch (recording.Kind)
        {
            case "run":
                {
                    using var writer = new StreamWriter(stdout, new System.Text.UTF8Encoding(false), leaveOpen: true) { AutoFlush = true };
                    return RunCommand.Run(recording.Arguments.ToArray(), writer, stderr, recording);
                }
            case "session":
                {
                    var options = HostOptions.Parse(RunCommand.WithoutRecord(recording.Arguments).ToArray());
                    return HostSession.Replay(options, recording, stdout, stderr);
                }
            case "test":
                return Emulator.Robot.RobotReplay.Run(recording, stdout, stderr);
            default:
                stderr.WriteLine($"emu replay: {args[0]}: unknown kind '{recording.Kind}'");
                return ChangedExitCode;
        }
    }
}
