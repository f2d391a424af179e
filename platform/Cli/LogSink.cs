using Emulator.Logging;

namespace Emulator.Cli;

/// <summary>Writes log entries to stderr or a file, one line each, never to the guest's console (stdout).</summary>
internal sealed class LogSink : IDisposable
{
    private readonly TextWriter writer;
    private readonly bool ownsWriter;
    private readonly object sync = new();

    public LogSink(TextWriter writer, bool ownsWriter)
    {
        this.writer = writer;
        this.ownsWriter = ownsWriter;
    }

    /// <summary>True while stderr is a terminal in raw mode, which needs CR LF.</summary>
    public bool RawTerminal { get; set; }

    public void Attach(Machine machine) => machine.Log.EntryLogged += Write;

    public void WriteLine(string text)
    {
        lock (sync)
        {
            try
            {
                writer.Write(text);
                writer.Write(RawTerminal ? "\r\n" : "\n");
                writer.Flush();
            }
            catch (Exception e) when (e is ObjectDisposedException or IOException)
            {
                // The log's destination went away; logging must never stop the emulation.
            }
        }
    }

    public void Dispose()
    {
        if (ownsWriter)
        {
            lock (sync)
            {
                writer.Dispose();
            }
        }
    }

    private void Write(LogEntry entry) => WriteLine(entry.ToString());
}
