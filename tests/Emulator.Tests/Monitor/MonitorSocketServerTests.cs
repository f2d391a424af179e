using System.Net.Sockets;
using System.Text;
using Emulator.Monitor;
using NUnit.Framework;
using MonitorShell = Emulator.Monitor.Monitor;

namespace Emulator.Tests.Monitor;

[TestFixture]
public class MonitorSocketServerTests
{
    [Test]
    public void QuitGetsItsAnswerEvenWhenTheServerIsDisposedDuringTheCommand()
    {
        using var emulation = new Emulation();
        using var monitor = new MonitorShell(emulation);
        using var server = new MonitorSocketServer(monitor, 0);
        // As a session does, but at the worst moment: the server goes away while `quit` is still running.
        monitor.Quit += server.Dispose;
        using var client = new TcpClient();
        client.Connect("127.0.0.1", server.Port);
        client.ReceiveTimeout = 10_000;
        var stream = client.GetStream();
        stream.Write("quit\n"u8);
        var answer = new StreamReader(stream, Encoding.UTF8).ReadToEnd();
        Assert.That(answer, Does.Contain("Renode is quitting"));
    }
}
