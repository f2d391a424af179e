using Emulator.Core;

namespace Emulator.Monitor;

/// <summary>The monitor's `connector` object: joins a UART to a terminal created by `emulation Create...Terminal`.</summary>
public sealed class ConnectorObject
{
    private readonly Monitor monitor;

    internal ConnectorObject(Monitor monitor)
    {
        this.monitor = monitor;
    }

    public void Connect(IUART uart, string terminal) => monitor.GetTerminal(terminal).Attach(uart);

    public void Disconnect(IUART uart, string terminal)
    {
        var t = monitor.GetTerminal(terminal);
        if (!ReferenceEquals(t.Uart, uart))
        {
            throw new MonitorException($"{terminal} is not connected to that UART");
        }
        t.Detach();
    }
}
