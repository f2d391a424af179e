using System.Text;
using Emulator.Core;

namespace Emulator.Terminals;

/// <summary>
/// A headless `showAnalyzer`: collects what a UART transmits into lines (CR dropped) and hands each complete
/// line to a callback. Used where no terminal shows the UART, e.g. to print it as log lines.
/// </summary>
public sealed class UartLineAnalyzer : IDisposable
{
    private readonly IUART uart;
    private readonly Action<string> lineWritten;
    private readonly StringBuilder pending = new();
    private readonly object sync = new();

    public UartLineAnalyzer(IUART uart, Action<string> lineWritten)
    {
        this.uart = uart;
        this.lineWritten = lineWritten;
        uart.CharReceived += OnChar;
    }

    public void Dispose() => uart.CharReceived -= OnChar;

    private void OnChar(byte value)
    {
        string? line = null;
        lock (sync)
        {
            if (value == (byte)'\n')
            {
                line = pending.ToString();
                pending.Clear();
            }
            else if (value != (byte)'\r')
            {
                pending.Append((char)value);
            }
        }
        if (line != null)
        {
            lineWritten(line);
        }
    }
}
