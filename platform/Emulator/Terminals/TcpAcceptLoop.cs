using System.Net.Sockets;

namespace Emulator.Terminals;

/// <summary>
/// The accept loop every TCP service of the emulator shares (socket terminals, the monitor port, the GDB
/// server): it hands each client to the service and ends quietly when the listener is stopped.
/// </summary>
public static class TcpAcceptLoop
{
    public static void Run(TcpListener listener, Func<bool> stopping, Action<TcpClient> onClient)
    {
        while (!stopping())
        {
            TcpClient accepted;
            try
            {
                accepted = listener.AcceptTcpClient();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            onClient(accepted);
        }
    }
}
