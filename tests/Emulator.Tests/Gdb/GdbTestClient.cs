using System.Net.Sockets;
using System.Text;
using NUnit.Framework;

namespace Emulator.Tests.Gdb;

/// <summary>A minimal remote-protocol client over a real TCP socket: frames packets, skips acks, reads replies.</summary>
public sealed class GdbTestClient : IDisposable
{
    private readonly TcpClient client;
    private readonly NetworkStream stream;

    public GdbTestClient(int port)
    {
        client = new TcpClient();
        client.Connect("127.0.0.1", port);
        client.ReceiveTimeout = 10_000;
        stream = client.GetStream();
    }

    public static string Frame(string payload)
    {
        var sum = 0;
        foreach (var ch in payload)
        {
            sum += ch;
        }
        return $"${payload}#{sum & 0xFF:x2}";
    }

    public void SendRaw(string text) => stream.Write(Encoding.Latin1.GetBytes(text));

    /// <summary>Sends a packet and returns the reply's payload.</summary>
    public string Request(string payload)
    {
        SendRaw(Frame(payload));
        return ReadPacket();
    }

    /// <summary>Reads the next packet (acks and noise before '$' skipped); acknowledges it.</summary>
    public string ReadPacket()
    {
        int b;
        while ((b = stream.ReadByte()) != '$')
        {
            if (b < 0)
            {
                Assert.Fail("the GDB server closed the connection");
            }
        }
        var payload = new StringBuilder();
        while ((b = stream.ReadByte()) != '#')
        {
            if (b < 0)
            {
                Assert.Fail("the GDB server closed the connection mid-packet");
            }
            payload.Append((char)b);
        }
        stream.ReadByte();
        stream.ReadByte();
        stream.WriteByte((byte)'+');
        return payload.ToString();
    }

    /// <summary>The next single byte (an ack) from the server.</summary>
    public int ReadByte() => stream.ReadByte();

    public void Dispose() => client.Dispose();
}
