using System.Net.Sockets;
using System.Text;
using Emulator.Cli;
using Emulator.Tests.Monitor;
using NUnit.Framework;

namespace Emulator.Tests.Cli;

/// <summary>`emu --port N` (monitor on TCP) and `emu --robot-server-port N` (Robot's remote protocol).</summary>
[TestFixture]
public class HostServersTests
{
    private static Task<int> StartSession(params string[] args)
    {
        var options = HostOptions.Parse(args);
        // stdin never ends, like a terminal nobody types into.
        var stdin = new BlockingStream();
        return Task.Run(() => HostSession.RunWithStreams(options, stdin, new MemoryStream(), new StringWriter()));
    }

    private static TcpClient ConnectWithRetry(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                var c = new TcpClient();
                c.Connect("127.0.0.1", port);
                c.ReceiveTimeout = 10_000;
                return c;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }

    [Test]
    public void MonitorOnATcpPortRunsCommandsAndQuits()
    {
        var port = SocketTerminalTests.FreePort();
        var session = StartSession("-e", "mach create \"net\"", "--port", port.ToString());
        using var client = ConnectWithRetry(port);
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.UTF8);
        var prompt = new char[6];
        reader.ReadBlock(prompt, 0, 6);
        Assert.That(new string(prompt), Is.EqualTo("(net) "));
        stream.Write("mach\nquit\n"u8);
        var rest = reader.ReadToEnd();
        Assert.That(rest, Does.Contain("* [0] net"));
        Assert.That(rest, Does.Contain("Renode is quitting"));
        Assert.That(session.Wait(TimeSpan.FromSeconds(10)), Is.True, "quit over the socket ends emu");
        Assert.That(session.Result, Is.EqualTo(0));
    }

    [Test]
    public void RobotServerRunsMonitorCommandsUntilStopped()
    {
        var port = SocketTerminalTests.FreePort();
        var session = StartSession("--robot-server-port", port.ToString());
        var reply = XmlRpc(port, "run_keyword", "<param><value><string>Execute Command</string></value></param>" +
            "<param><value><array><data><value><string>mach create \"robot\"</string></value></data></array></value></param>");
        Assert.That(reply, Does.Contain("PASS"));
        reply = XmlRpc(port, "run_keyword", "<param><value><string>Execute Command</string></value></param>" +
            "<param><value><array><data><value><string>mach</string></value></data></array></value></param>");
        Assert.That(reply, Does.Contain("[0] robot"));
        XmlRpc(port, "stop_remote_server", "");
        Assert.That(session.Wait(TimeSpan.FromSeconds(10)), Is.True, "Stop Remote Server ends emu");
        Assert.That(session.Result, Is.EqualTo(0));
    }

    private static string XmlRpc(int port, string method, string parameters)
    {
        using var client = ConnectWithRetry(port);
        var body = $"<?xml version=\"1.0\"?><methodCall><methodName>{method}</methodName><params>{parameters}</params></methodCall>";
        var request = $"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
        client.GetStream().Write(Encoding.UTF8.GetBytes(request));
        return new StreamReader(client.GetStream(), Encoding.UTF8).ReadToEnd();
    }

    /// <summary>A read-only stream whose reads block forever (until the test process ends).</summary>
    private sealed class BlockingStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => 0;
        public override long Position { get => 0; set { } }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            Thread.Sleep(Timeout.Infinite);
            return 0;
        }
        public override long Seek(long offset, SeekOrigin origin) => 0;
        public override void SetLength(long value) { }
        public override void Write(byte[] buffer, int offset, int count) { }
    }
}
