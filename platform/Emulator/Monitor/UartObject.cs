using Emulator.Core;
using Emulator.Terminals;

namespace Emulator.Monitor;

/// <summary>Monitor commands for a UART, on top of its own members: file backends and typing into it.</summary>
public sealed class UartObject
{
    private readonly Monitor monitor;
    private readonly IUART uart;

    internal UartObject(Monitor monitor, IUART uart)
    {
        this.monitor = monitor;
        this.uart = uart;
    }

    /// <summary>Writes everything the UART transmits to a file.</summary>
    public void CreateFileBackend(string path, bool immediateFlush = false) => monitor.AddBackend(new UartFileBackend(uart, path, immediateFlush));

    /// <summary>Types a line into the UART (its receive side), followed by CR.</summary>
    public void WriteLine(string text)
    {
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text + "\r"))
        {
            uart.WriteChar(b);
        }
    }
}
