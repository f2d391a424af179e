using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Emulator.Core;

namespace Emulator.Terminals;

/// <summary>
/// A replay file (docs/robot.md, "Replay"): what a run was built from (files and their hashes), how it was run
/// (command, seed, quantum), every host input delivery, where it ended, and what it printed (length and hash of
/// the console UART's output) and returned. `emu replay FILE` runs it again from this.
/// </summary>
public sealed class ReplayRecording
{
    public const string CurrentFormat = "emu-replay-1";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Format { get; set; } = CurrentFormat;

    /// <summary>"run" (`emu run`), "session" (`emu script.resc`) or "test" (one Robot test of `emu test`).</summary>
    public string Kind { get; set; } = "run";

    /// <summary>The command line that made the run, without --record (for "test": suite path and test name).</summary>
    public List<string> Arguments { get; set; } = new();

    /// <summary>Directory the command ran in; relative paths in <see cref="Arguments"/> are relative to it.</summary>
    public string WorkingDirectory { get; set; } = "";

    public int? Seed { get; set; }

    public ulong QuantumNanoseconds { get; set; }

    public List<ReplayFileEntry> Files { get; set; } = new();

    public List<ReplayInput> Inputs { get; set; } = new();

    /// <summary>Virtual time (ns) where the run stopped.</summary>
    public ulong EndTime { get; set; }

    /// <summary>True when the host stopped the run (quit, end of a test): a replay stops at <see cref="EndTime"/> too.</summary>
    public bool EndedByHost { get; set; }

    public long OutputLength { get; set; }

    public string OutputSha256 { get; set; } = "";

    public int ExitCode { get; set; }

    /// <summary>For a test: its status ("FAIL") and failure message.</summary>
    public string? TestStatus { get; set; }

    public string? TestMessage { get; set; }

    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory != null)
        {
            Directory.CreateDirectory(directory);
        }
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
    }

    public static ReplayRecording Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new EmulationException($"{path}: no such file");
        }
        ReplayRecording? recording;
        try
        {
            recording = JsonSerializer.Deserialize<ReplayRecording>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $":{line + 1}:{(e.BytePositionInLine ?? 0) + 1}" : "";
            throw new EmulationException($"{path}{where}: not a replay file: {e.Message}");
        }
        if (recording == null || recording.Format != CurrentFormat)
        {
            throw new EmulationException($"{path}: not a replay file of format {CurrentFormat}");
        }
        return recording;
    }

    public static string HashFile(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public static string HashBytes(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Files that are missing or changed since the recording, each with the reason; empty when all match.</summary>
    public List<string> FindChangedFiles()
    {
        var changed = new List<string>();
        foreach (var file in Files)
        {
            if (!File.Exists(file.Path))
            {
                changed.Add($"{file.Path}: no longer exists");
            }
            else if (HashFile(file.Path) != file.Sha256)
            {
                changed.Add($"{file.Path}: no longer matches the recording (its SHA-256 changed)");
            }
        }
        return changed;
    }

    public IEnumerable<HostInputDelivery> Deliveries => Inputs.Select(i => i.ToDelivery());

    /// <summary>Puts a machine in replay mode: recorded input at recorded times, stop where the recording stopped.</summary>
    public void ApplyTo(Machine machine)
    {
        machine.Seed = Seed;
        machine.QuantumNanoseconds = QuantumNanoseconds;
        machine.HostInput.StartReplay(Deliveries, EndedByHost ? EndTime : ulong.MaxValue);
    }
}
