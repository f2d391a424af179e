using Emulator.Core;

namespace Emulator.Terminals;

/// <summary>
/// Watches one machine for a replay file: its host input deliveries and its console UART's output (both
/// arrive on the emulation thread, in a deterministic order). <see cref="Finish"/> fills in a
/// <see cref="ReplayRecording"/> once the run has stopped.
/// </summary>
public sealed class SessionRecorder
{
    private readonly List<HostInputDelivery> deliveries = new();
    private readonly MemoryStream output = new();
    private IUART? console;

    public SessionRecorder(Machine machine)
    {
        Machine = machine;
        // A recorder made with the machine (before its board is loaded) takes the first UART registered.
        machine.PeripheralRegistered += (_, peripheral) =>
        {
            if (console == null && peripheral is IUART)
            {
                AttachConsole();
            }
        };
        machine.HostInput.Delivered += d =>
        {
            lock (deliveries)
            {
                deliveries.Add(d);
            }
        };
    }

    public Machine Machine { get; }

    /// <summary>The console UART's output so far (uart0, or the first UART).</summary>
    public byte[] Output
    {
        get
        {
            lock (output)
            {
                return output.ToArray();
            }
        }
    }

    /// <summary>Starts capturing the console UART; call once the board is loaded (replays call it at the same point).</summary>
    public void AttachConsole()
    {
        if (console != null)
        {
            return;
        }
        console = FindConsole(Machine);
        if (console != null)
        {
            console.CharReceived += b =>
            {
                lock (output)
                {
                    output.WriteByte(b);
                }
            };
        }
    }

    public static IUART? FindConsole(Machine machine)
    {
        if (machine.TryGetByName("uart0", out var named) && named is IUART uart0)
        {
            return uart0;
        }
        return machine.Peripherals.Select(p => p.Value).OfType<IUART>().FirstOrDefault();
    }

    /// <summary>Fills in the parts of a recording this machine knows: files, seed, quantum, inputs, end, output.</summary>
    public void Finish(ReplayRecording recording, IEnumerable<string> extraFiles, bool endedByHost, int exitCode)
    {
        recording.Seed = Machine.Seed;
        recording.QuantumNanoseconds = Machine.QuantumNanoseconds;
        recording.Files = extraFiles.Concat(Machine.InputFiles).Distinct()
            .Where(File.Exists)
            .Select(f => new ReplayFileEntry(f, ReplayRecording.HashFile(f)))
            .ToList();
        lock (deliveries)
        {
            recording.Inputs = deliveries.Select(ReplayInput.From).ToList();
        }
        recording.EndTime = Machine.Clock.Now;
        recording.EndedByHost = endedByHost;
        var bytes = Output;
        recording.OutputLength = bytes.Length;
        recording.OutputSha256 = ReplayRecording.HashBytes(bytes);
        recording.ExitCode = exitCode;
    }

    /// <summary>One line comparing a replay's output with its recording.</summary>
    public static string Compare(ReplayRecording recording, byte[] replayed) =>
        replayed.Length == recording.OutputLength && ReplayRecording.HashBytes(replayed) == recording.OutputSha256
            ? $"replay: identical output ({replayed.Length} bytes)"
            : $"replay: output DIFFERS from the recording ({replayed.Length} bytes now, {recording.OutputLength} recorded)";
}
