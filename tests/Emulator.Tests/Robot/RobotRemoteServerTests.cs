using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using Emulator.Robot;
using NUnit.Framework;

namespace Emulator.Tests.Robot;

/// <summary>The Remote library protocol over real HTTP, the way Robot Framework's Remote library calls it.</summary>
[TestFixture]
public sealed class RobotRemoteServerTests
{
    private RobotRemoteServer server = null!;
    private HttpClient client = null!;
    private List<string> commands = null!;

    [SetUp]
    public void StartServer()
    {
        commands = new List<string>();
        server = RobotRemoteServer.Start(0, commandRunnerFactory: FakeCommandRunner.Factory(commands));
        client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    [TearDown]
    public void StopServer()
    {
        client.Dispose();
        server.Dispose();
    }

    private object? Call(string method, params object?[] parameters)
    {
        var (fault, value) = CallRaw(RobotXmlRpc.FormatCall(method, parameters));
        Assert.That(fault, Is.Null, "unexpected fault");
        return value;
    }

    private (string? Fault, object? Value) CallRaw(string body)
    {
        using var response = client.PostAsync("RPC2", new StringContent(body, Encoding.UTF8, "text/xml")).Result;
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        var document = XDocument.Parse(response.Content.ReadAsStringAsync().Result);
        var fault = document.Root!.Element("fault");
        if (fault != null)
        {
            var data = (Dictionary<string, object?>)RobotXmlRpc.ParseValue(fault.Element("value")!)!;
            return ((string)data["faultString"]!, null);
        }
        return (null, RobotXmlRpc.ParseValue(document.Root.Element("params")!.Element("param")!.Element("value")!));
    }

    [Test]
    public void KeywordNamesAreRenodes()
    {
        var names = ((List<object?>)Call("get_keyword_names")!).Cast<string>().ToList();
        Assert.That(names, Does.Contain("Execute Command").And.Contain("Wait For Line On Uart").And.Contain("Create Terminal Tester")
            .And.Contain("Write Line To Uart").And.Contain("Provides").And.Contain("Requires").And.Contain("PC Should Be Equal"));
    }

    [Test]
    public void ArgumentsDocumentationTypesAndTags()
    {
        Assert.That(Call("get_keyword_arguments", "Wait For Prompt On Uart"),
            Is.EqualTo(new List<object?> { "prompt", "testerId=None", "timeout=None", "treatAsRegex=False", "pauseEmulation=None" }));
        Assert.That(Call("get_keyword_arguments", "Write Line To Uart"),
            Is.EqualTo(new List<object?> { "content=", "testerId=None", "waitForEcho=None", "pauseEmulation=None" }));
        Assert.That((string)Call("get_keyword_documentation", "Execute Command")!, Does.Contain("monitor command"));
        Assert.That(Call("get_keyword_documentation", "__intro__"), Is.Not.Empty);
        var types = (Dictionary<string, object?>)Call("get_keyword_types", "Wait For Line On Uart")!;
        Assert.That(types["timeout"], Is.EqualTo("float"));
        Assert.That(types["treatAsRegex"], Is.EqualTo("bool"));
        Assert.That(Call("get_keyword_tags", "Start Emulation"), Is.EqualTo(new List<object?>()));
        var info = (Dictionary<string, object?>)Call("get_library_information")!;
        Assert.That(((Dictionary<string, object?>)info["Execute Command"]!)["args"], Is.EqualTo(new List<object?> { "command", "machine=None" }));
    }

    [Test]
    public void RunKeywordPassesReturnsValues()
    {
        var result = (Dictionary<string, object?>)Call("run_keyword", "Execute Command", new List<object?> { "echo lwkt" })!;
        Assert.That(result["status"], Is.EqualTo("PASS"));
        Assert.That(result["return"], Is.EqualTo("lwkt"));
    }

    [Test]
    public void RunKeywordBootsAndMatchesWithNamedArguments()
    {
        Assert.That(((Dictionary<string, object?>)Call("run_keyword", "Execute Command", new List<object?> { "mach create" })!)["status"], Is.EqualTo("PASS"));
        var id = (Dictionary<string, object?>)Call("run_keyword", "Create Terminal Tester", new List<object?> { "sysbus.uart0" })!;
        Assert.That(id["return"], Is.EqualTo(1L));
        Call("run_keyword", "Wait For Prompt On Uart", new List<object?> { "lwkt>" });
        Call("run_keyword", "Write Line To Uart", new List<object?> { "test all" });
        var wait = (Dictionary<string, object?>)Call("run_keyword", "Wait For Line On Uart",
            new List<object?> { "TESTS: (\\d+) passed" }, new Dictionary<string, object?> { ["treatAsRegex"] = true, ["timeout"] = 5.0 })!;
        Assert.That(wait["status"], Is.EqualTo("PASS"), (string?)wait["error"]);
        var value = (Dictionary<string, object?>)wait["return"]!;
        Assert.That(value["Line"], Is.EqualTo("TESTS: 2 passed, 0 failed"));
        Assert.That(value["Groups"], Is.EqualTo(new List<object?> { "2" }));
        // Robot sends `name=value` as a string when it does not know the argument names.
        var named = (Dictionary<string, object?>)Call("run_keyword", "Should Not Be On Uart", new List<object?> { "panic", "timeout=1" })!;
        Assert.That(named["status"], Is.EqualTo("PASS"), (string?)named["error"]);
    }

    [Test]
    public void RunKeywordFailureIsAFailStatusNotAFault()
    {
        var result = (Dictionary<string, object?>)Call("run_keyword", "Wait For Line On Uart", new List<object?> { "x" })!;
        Assert.That(result["status"], Is.EqualTo("FAIL"));
        Assert.That(result["error"], Does.Contain("terminal tester"));
        var unknown = (Dictionary<string, object?>)Call("run_keyword", "No Such Keyword", new List<object?>())!;
        Assert.That(unknown["error"], Is.EqualTo("No keyword with name 'No Such Keyword' found."));
        var badArgument = (Dictionary<string, object?>)Call("run_keyword", "Set Default Uart Timeout", new List<object?> { "soon" })!;
        Assert.That(badArgument["error"], Is.EqualTo("Argument 'timeout' got value 'soon' that cannot be converted to float."));
    }

    [Test]
    public void MalformedXmlGetsAFaultAndTheServerKeepsServing()
    {
        var (fault, _) = CallRaw("<methodCall><methodName>get_keyword_names");
        Assert.That(fault, Does.StartWith("malformed XML-RPC request"));
        (fault, _) = CallRaw("<notACall/>");
        Assert.That(fault, Does.Contain("<methodCall>"));
        (fault, _) = CallRaw(RobotXmlRpc.FormatCall("no_such_method"));
        Assert.That(fault, Is.EqualTo("unknown method 'no_such_method'"));
        (fault, _) = CallRaw("<methodCall><methodName>run_keyword</methodName><params><param><value><int>oops</int></value></param></params></methodCall>");
        Assert.That(fault, Does.Contain("invalid integer"));
        (fault, _) = CallRaw(RobotXmlRpc.FormatCall("run_keyword", 5L));
        Assert.That(fault, Does.Contain("keyword name"));
        (fault, _) = CallRaw("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><methodCall><methodName>&e;</methodName></methodCall>");
        Assert.That(fault, Does.StartWith("malformed XML-RPC request"));
        Assert.That(Call("get_keyword_names"), Is.Not.Empty);
    }

    [Test]
    public void NonPostAndGarbageHttpGetErrorResponses()
    {
        using (var response = client.GetAsync("").Result)
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(405));
            Assert.That(response.Content.ReadAsStringAsync().Result, Does.Contain("<fault>"));
        }
        using (var socket = new TcpClient("127.0.0.1", server.Port))
        {
            var stream = socket.GetStream();
            stream.Write(Encoding.ASCII.GetBytes("NONSENSE\r\n\r\n"));
            var buffer = new byte[4096];
            var read = stream.Read(buffer);
            Assert.That(Encoding.ASCII.GetString(buffer, 0, read), Does.StartWith("HTTP/1.1 400"));
        }
        using (var socket = new TcpClient("127.0.0.1", server.Port))
        {
            var stream = socket.GetStream();
            stream.Write(Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n"));
            var buffer = new byte[4096];
            var read = stream.Read(buffer);
            Assert.That(Encoding.ASCII.GetString(buffer, 0, read), Does.StartWith("HTTP/1.1 400"));
        }
        using (var socket = new TcpClient("127.0.0.1", server.Port))
        {
            // A client that disconnects in the middle of a body must not disturb the server.
            socket.GetStream().Write(Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n<metho"));
        }
        Assert.That(Call("get_keyword_names"), Is.Not.Empty);
    }

    [Test]
    public void StopRemoteServerKeywordStopsTheServer()
    {
        var result = (Dictionary<string, object?>)Call("run_keyword", "Stop Remote Server", new List<object?>())!;
        Assert.That(result["status"], Is.EqualTo("PASS"));
        Assert.That(server.Stopped.Wait(TimeSpan.FromSeconds(10)), Is.True);
    }

    [Test]
    public void PortInUseIsAUserError()
    {
        var e = Assert.Throws<Emulator.Core.EmulationException>(() => RobotRemoteServer.Start(server.Port));
        Assert.That(e!.Message, Does.StartWith($"cannot listen on 127.0.0.1:{server.Port}"));
    }
}
