using System.Net;
using System.Net.Sockets;
using System.Text;
using Emulator.Monitor;
using NUnit.Framework;
using MonitorShell = Emulator.Monitor.Monitor;

namespace Emulator.Tests.Monitor;

[TestFixture]
public class SocketTerminalTests
{
    private Emulation emulation = null!;
    private MonitorShell monitor = null!;
    private FakeUart uart = null!;

    [SetUp]
    public void SetUp()
    {
        emulation = new Emulation();
        monitor = new MonitorShell(emulation);
        monitor.Execute("mach create");
        var machine = TestBoard.Populate(emulation.CurrentMachine!, withUart: true);
        machine.TryGetByName("uart0", out var p);
        uart = (FakeUart)p;
    }

    [TearDown]
    public void TearDown()
    {
        monitor.Dispose();
        emulation.Dispose();
    }

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static TcpClient Connect(int port)
    {
        var c = new TcpClient();
        c.Connect(IPAddress.Loopback, port);
        c.ReceiveTimeout = 5000;
        return c;
    }

    private static string Read(TcpClient c, int count)
    {
        var buffer = new byte[count];
        var got = 0;
        while (got < count)
        {
            var n = c.GetStream().Read(buffer, got, count - got);
            if (n <= 0)
            {
                break;
            }
            got += n;
        }
        return Encoding.Latin1.GetString(buffer, 0, got);
    }

    private byte Typed() => uart.Typed.TryTake(out var b, 5000) ? b : throw new AssertionException("nothing reached the UART");

    [Test]
    public void ClientTalksToTheUartBothWaysAndCanReconnect()
    {
        var port = FreePort();
        monitor.Execute($"emulation CreateServerSocketTerminal {port} \"term\" false");
        monitor.Execute("connector Connect sysbus.uart0 term");
        var terminal = monitor.Terminals["term"];

        using (var first = Connect(port))
        {
            first.GetStream().Write("hi"u8);
            Assert.That((char)Typed(), Is.EqualTo('h'));
            Assert.That((char)Typed(), Is.EqualTo('i'));
            Assert.That(() => terminal.HasClient, Is.True.After(5000, 10));
            uart.Transmit("out\n");
            Assert.That(Read(first, 4), Is.EqualTo("out\n"));

            using var second = Connect(port);
            var refusal = Read(second, 200);
            Assert.That(refusal, Does.Contain("already has a client"));
        }
        Assert.That(() => terminal.HasClient, Is.False.After(5000, 10));
        using var third = Connect(port);
        Assert.That(() => terminal.HasClient, Is.True.After(5000, 10));
        uart.Transmit("again");
        Assert.That(Read(third, 5), Is.EqualTo("again"));
        third.GetStream().Write("x"u8);
        Assert.That((char)Typed(), Is.EqualTo('x'));
    }

    [Test]
    public void TelnetModeNegotiatesAndStripsCommands()
    {
        var port = FreePort();
        monitor.Execute($"emulation CreateServerSocketTerminal {port} \"tn\" true");
        monitor.Execute("connector Connect sysbus.uart0 tn");
        using var c = Connect(port);
        var negotiation = Read(c, 9);
        Assert.That(negotiation[0], Is.EqualTo((char)255));
        // IAC DO ECHO then data 'a'.
        c.GetStream().Write(new byte[] { 255, 253, 1, (byte)'a' });
        Assert.That((char)Typed(), Is.EqualTo('a'));
    }

    [Test]
    public void BadTerminalCommandsAreClear()
    {
        var e = Assert.Throws<MonitorException>(() => monitor.Execute("connector Connect sysbus.uart0 nothing"))!;
        Assert.That(e.Message, Does.Contain("no terminal named 'nothing'"));
        var port = FreePort();
        monitor.Execute($"emulation CreateServerSocketTerminal {port} \"t\"");
        e = Assert.Throws<MonitorException>(() => monitor.Execute($"emulation CreateServerSocketTerminal {FreePort()} \"t\""))!;
        Assert.That(e.Message, Does.Contain("already exists"));
        e = Assert.Throws<MonitorException>(() => monitor.Execute($"emulation CreateServerSocketTerminal {port} \"u\""))!;
        Assert.That(e.Message, Does.Contain("cannot listen on port"));
        e = Assert.Throws<MonitorException>(() => monitor.Execute("connector Connect sysbus.cpu0 t"))!;
        Assert.That(e.Message, Does.Contain("expects IUART"));
    }

    [Test]
    public void MonitorGdbServerCommandListens()
    {
        var port = FreePort();
        Assert.That(monitor.Execute($"machine StartGdbServer {port}"), Does.Contain($"127.0.0.1:{port}"));
        using (var gdb = new Gdb.GdbTestClient(port))
        {
            Assert.That(gdb.Request("qfThreadInfo"), Is.EqualTo("m1"));
            // GDB's `monitor cpu0 PC` reaches the monitor: output in an O packet, then OK.
            var hex = Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes("cpu0 PC")).ToLowerInvariant();
            var console = gdb.Request("qRcmd," + hex);
            Assert.That(System.Text.Encoding.ASCII.GetString(Convert.FromHexString(console.Substring(1))), Is.EqualTo("0x80000000\n"));
            Assert.That(gdb.ReadPacket(), Is.EqualTo("OK"));
        }
        var e = Assert.Throws<MonitorException>(() => monitor.Execute($"machine StartGdbServer {FreePort()}"))!;
        Assert.That(e.Message, Does.Contain("already has a GDB server"));
    }
}
