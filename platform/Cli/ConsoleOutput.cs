using System.Text;

namespace Emulator.Cli;

/// <summary>
/// Thread-safe writer for the terminal shared by the guest's UART, the monitor and the log. On a raw
/// terminal the driver no longer turns LF into CR LF, so this does it (unless the guest already sent CR).
/// </summary>
internal sealed class ConsoleOutput
{
    private readonly Stream stream;
    private readonly object sync = new();
    private byte lastGuestByte;

    public ConsoleOutput(Stream stream)
    {
        this.stream = stream;
    }

    /// <summary>True while the terminal is in raw mode.</summary>
    public bool TranslateNewlines { get; set; }

    public void WriteGuest(ReadOnlySpan<byte> bytes)
    {
        lock (sync)
        {
            try
            {
                WriteGuestLocked(bytes);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // stdout went away (a closed pipe): the guest keeps running, its output is dropped.
            }
        }
    }

    private void WriteGuestLocked(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (TranslateNewlines && b == (byte)'\n' && lastGuestByte != (byte)'\r')
            {
                stream.WriteByte((byte)'\r');
            }
            stream.WriteByte(b);
            lastGuestByte = b;
        }
        stream.Flush();
    }

    public void WriteText(string text)
    {
        if (TranslateNewlines)
        {
            text = text.Replace("\r\n", "\n").Replace("\n", "\r\n");
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        lock (sync)
        {
            try
            {
                stream.Write(bytes);
                stream.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
            }
        }
    }
}
