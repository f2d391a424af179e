using System.Net;
using System.Net.Sockets;
using System.Text;
using Emulator.Core;

namespace Emulator.Monitor;

/// <summary>
/// The monitor on a TCP port (`emu --port N`, Renode's `-P`): each client gets the prompt and runs commands
/// line by line; `quit` from any client ends the emulator. Listens on 127.0.0.1 only.
/// </summary>
public sealed class MonitorSocketServer : IDisposable
{
    private readonly Monitor monitor;
    private readonly TcpListener listener;
    private readonly List<TcpClient> clients = new();
    // Clients running a command now (guarded by clients), and the one this thread serves.
    private readonly HashSet<TcpClient> busy = new();
    [ThreadStatic]
    private static TcpClient? serving;
    private volatile bool disposed;

    public MonitorSocketServer(Monitor monitor, int port)
    {
        this.monitor = monitor;
        listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new EmulationException($"monitor: cannot listen on port {port}: {e.Message}");
        }
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        new Thread(AcceptLoop) { IsBackground = true, Name = "monitor socket" }.Start();
    }

    public int Port { get; }

    public void Dispose()
    {
        disposed = true;
        listener.Stop();
        lock (clients)
        {
            // A client in the middle of a command (`quit` ends the session from inside its command) still gets
            // the command's answer: it closes itself after replying. Closing it here lost that reply.
            foreach (var c in clients)
            {
                if (!busy.Contains(c))
                {
                    c.Close();
                }
            }
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (busy.Any(c => c != serving) && DateTime.UtcNow < deadline)
            {
                System.Threading.Monitor.Wait(clients, TimeSpan.FromMilliseconds(50));
            }
        }
    }

    private void AcceptLoop()
    {
        Terminals.TcpAcceptLoop.Run(listener, () => disposed, c =>
        {
            lock (clients)
            {
                clients.Add(c);
            }
            new Thread(() => Serve(c)) { IsBackground = true, Name = "monitor client" }.Start();
        });
    }

    private void Serve(TcpClient c)
    {
        try
        {
            using var stream = c.GetStream();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
            writer.Write(monitor.Prompt);
            while (!disposed && !monitor.QuitRequested)
            {
                var line = reader.ReadLine();
                if (line == null)
                {
                    break;
                }
                lock (clients)
                {
                    if (disposed)
                    {
                        break;
                    }
                    busy.Add(c);
                    serving = c;
                }
                try
                {
                    var text = monitor.ExecuteLive(line.Trim('\0', '\r'));
                    if (text.Length > 0)
                    {
                        writer.WriteLine(text.Replace("\n", "\r\n"));
                    }
                }
                catch (MonitorException e)
                {
                    writer.WriteLine(e.Message);
                }
                finally
                {
                    lock (clients)
                    {
                        busy.Remove(c);
                        serving = null;
                        System.Threading.Monitor.PulseAll(clients);
                    }
                }
                if (monitor.QuitRequested || disposed)
                {
                    break;
                }
                writer.Write(monitor.Prompt);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (clients)
            {
                clients.Remove(c);
            }
            c.Close();
        }
    }
}
