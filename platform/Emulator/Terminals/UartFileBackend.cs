using Emulator.Core;

namespace Emulator.Terminals;

/// <summary>Appends everything a UART transmits to a file (`uart0 CreateFileBackend @path`).</summary>
public sealed class UartFileBackend : IDisposable
{
    private readonly IUART uart;
    private readonly FileStream file;
    private readonly bool immediateFlush;
    private readonly object sync = new();

    public UartFileBackend(IUART uart, string path, bool immediateFlush = false)
    {
        this.uart = uart;
        this.immediateFlush = immediateFlush;
        Path = System.IO.Path.GetFullPath(path);
        try
        {
            file = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EmulationException($"cannot write {path}: {e.Message}");
        }
        uart.CharReceived += OnChar;
    }

    public string Path { get; }

    public void Dispose()
    {
        uart.CharReceived -= OnChar;
        lock (sync)
        {
            file.Dispose();
        }
    }

    private void OnChar(byte value)
    {
        lock (sync)
        {
            if (!file.CanWrite)
            {
                return;
            }
            file.WriteByte(value);
            // Lines are flushed as they end so `tail -f` shows them; immediateFlush flushes every byte.
            if (immediateFlush || value == (byte)'\n')
            {
                file.Flush();
            }
        }
    }
}
