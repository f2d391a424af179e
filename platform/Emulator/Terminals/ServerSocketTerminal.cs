using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Emulator.Core;

namespace Emulator.Terminals;

/// <summary>
/// Renode's `emulation CreateServerSocketTerminal`: a TCP server on 127.0.0.1 that carries one UART both ways.
/// One client at a time: a second simultaneous client is told why and disconnected; after the first one leaves,
/// the next can connect. With emitConfig the server asks a telnet client for character mode and strips
/// telnet commands from what it receives. UART output while nobody is connected is dropped, as on a real line.
/// Sending happens on a writer thread, so a slow client never stalls the emulation.
/// </summary>
public sealed class ServerSocketTerminal : IDisposable
{
    private const byte Iac = 255;
    private readonly TcpListener listener;
    private readonly bool emitConfig;
    private readonly object sync = new();
    private readonly BlockingCollection<byte[]> outgoing = new(new ConcurrentQueue<byte[]>(), 4096);
    private readonly Thread acceptThread;
    private readonly Thread writerThread;
    private TcpClient? client;
    private IUART? uart;
    private volatile bool disposed;

    public ServerSocketTerminal(string name, int port, bool emitConfig = false)
    {
        Name = name;
        this.emitConfig = emitConfig;
        listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new EmulationException($"terminal {name}: cannot listen on port {port}: {e.Message}");
        }
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = $"terminal {name} accept" };
        writerThread = new Thread(WriterLoop) { IsBackground = true, Name = $"terminal {name} writer" };
        acceptThread.Start();
        writerThread.Start();
    }

    public string Name { get; }

    /// <summary>The port actually listened on (useful when 0 was asked for).</summary>
    public int Port { get; }

    public IUART? Uart => uart;

    public bool HasClient
    {
        get
        {
            lock (sync)
            {
                return client != null;
            }
        }
    }

    public void Attach(IUART target)
    {
        Detach();
        uart = target;
        target.CharReceived += OnCharFromGuest;
    }

    public void Detach()
    {
        var old = uart;
        if (old != null)
        {
            old.CharReceived -= OnCharFromGuest;
            uart = null;
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        Detach();
        listener.Stop();
        outgoing.CompleteAdding();
        lock (sync)
        {
            client?.Close();
            client = null;
        }
    }

    private void OnCharFromGuest(byte value)
    {
        if (!HasClient || disposed)
        {
            return;
        }
        // Escape IAC so a telnet client shows the byte instead of reading a command.
        var bytes = emitConfig && value == Iac ? new[] { Iac, Iac } : new[] { value };
        try
        {
            // Never blocks the emulation: when the client is far behind, output is dropped.
            outgoing.TryAdd(bytes);
        }
        catch (InvalidOperationException)
        {
            // Disposed meanwhile.
        }
    }

    private void WriterLoop()
    {
        try
        {
            foreach (var chunk in outgoing.GetConsumingEnumerable())
            {
                TcpClient? c;
                lock (sync)
                {
                    c = client;
                }
                if (c == null)
                {
                    continue;
                }
                try
                {
                    c.GetStream().Write(chunk);
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    // The reader notices the disconnect and clears the client.
                }
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void AcceptLoop()
    {
        TcpAcceptLoop.Run(listener, () => disposed, accepted =>
        {
            accepted.NoDelay = true;
            lock (sync)
            {
                if (client != null)
                {
                    Refuse(accepted);
                    return;
                }
                client = accepted;
            }
            new Thread(() => ReadLoop(accepted)) { IsBackground = true, Name = $"terminal {Name} reader" }.Start();
        });
    }

    private void Refuse(TcpClient extra)
    {
        try
        {
            extra.GetStream().Write(Encoding.ASCII.GetBytes($"emu: terminal '{Name}' already has a client; only one connection at a time\r\n"));
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
        }
        extra.Close();
    }

    private void ReadLoop(TcpClient c)
    {
        var stream = c.GetStream();
        var buffer = new byte[1024];
        var telnetState = 0;
        try
        {
            if (emitConfig)
            {
                // IAC WILL ECHO, IAC WILL SUPPRESS-GO-AHEAD, IAC DO SUPPRESS-GO-AHEAD: character mode, remote echo.
                stream.Write(new byte[] { Iac, 251, 1, Iac, 251, 3, Iac, 253, 3 });
            }
            while (!disposed)
            {
                var n = stream.Read(buffer, 0, buffer.Length);
                if (n <= 0)
                {
                    break;
                }
                for (var i = 0; i < n; i++)
                {
                    var b = buffer[i];
                    if (emitConfig && FilterTelnet(b, ref telnetState))
                    {
                        continue;
                    }
                    uart?.WriteChar(b);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (sync)
            {
                if (client == c)
                {
                    client = null;
                }
            }
            c.Close();
        }
    }

    /// <summary>True when the byte belongs to a telnet command (IAC sequences and subnegotiations) and is not data.</summary>
    private static bool FilterTelnet(byte b, ref int state)
    {
        switch (state)
        {
            case 0:
                if (b == Iac)
                {
                    state = 1;
                    return true;
                }
                return false;
            case 1:
                if (b == Iac)
                {
                    state = 0;
                    return false; // escaped 255 is data
                }
                state = b is >= 251 and <= 254 ? 2 : b == 250 ? 3 : 0;
                return true;
            case 2:
                state = 0;
                return true;
            case 3:
                if (b == Iac)
                {
                    state = 4;
                }
                return true;
            default:
                state = b == 240 ? 0 : 3;
                return true;
        }
    }
}
