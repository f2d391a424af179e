using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Emulator.Core;

namespace Emulator.Robot;

/// <summary>
/// Serves Renode's keywords over Robot Framework's Remote library protocol (XML-RPC over HTTP on
/// 127.0.0.1), as `renode --robot-server-port N` does, so real Robot Framework can run our suites:
/// `Library  Remote  http://127.0.0.1:N/`. Methods: get_keyword_names, run_keyword, get_keyword_arguments,
/// get_keyword_documentation, get_keyword_types, get_keyword_tags, get_library_information,
/// stop_remote_server. Malformed requests get a fault (or an HTTP 400), never a crash. Keywords run one at
/// a time, in arrival order.
/// </summary>
public sealed class RobotRemoteServer : IDisposable
{
    private const int MaxHeaderBytes = 64 * 1024;
    private const int MaxBodyBytes = 64 * 1024 * 1024;
    private readonly TcpListener listener;
    private readonly RobotExecutionContext context;
    private readonly RenodeKeywords renode;
    private readonly bool ownsEmulation;
    private readonly object keywordLock = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TextWriter? log;

    private RobotRemoteServer(TcpListener listener, Emulation emulation, bool ownsEmulation, Func<Emulation, IRobotCommandRunner>? commandRunnerFactory, TextWriter? log)
    {
        this.listener = listener;
        this.ownsEmulation = ownsEmulation;
        this.log = log;
        Emulation = emulation;
        renode = new RenodeKeywords(emulation, commandRunnerFactory);
        renode.StopRequested += () => Task.Run(Stop);
        var registry = new RobotKeywordRegistry();
        registry.AddLibrary(RobotMethodKeyword.FromLibrary(renode));
        context = new RobotExecutionContext(registry, RobotVariables.CreateGlobal()) { Renode = renode };
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The port actually listened on (useful when started with port 0).</summary>
    public int Port { get; }

    public Emulation Emulation { get; }

    /// <summary>Completes when the server has stopped (`Stop Remote Server`, `stop_remote_server`, or <see cref="Stop"/>).</summary>
    public Task Stopped => stopped.Task;

    /// <summary>
    /// Starts serving on 127.0.0.1:<paramref name="port"/> (0 picks a free port) and returns at once.
    /// Uses <paramref name="emulation"/> if given (the CLI's own), else a new one. Throws
    /// <see cref="EmulationException"/> when the port cannot be opened.
    /// </summary>
    public static RobotRemoteServer Start(int port, Emulation? emulation = null, Func<Emulation, IRobotCommandRunner>? commandRunnerFactory = null, TextWriter? log = null)
    {
        if (port is < 0 or > 65535)
        {
            throw new EmulationException($"invalid Robot server port {port}");
        }
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new EmulationException($"cannot listen on 127.0.0.1:{port}: {e.Message}");
        }
        var server = new RobotRemoteServer(listener, emulation ?? new Emulation(), emulation == null, commandRunnerFactory, log);
        _ = Task.Run(server.AcceptLoop);
        log?.WriteLine($"Robot Framework remote server is listening on http://127.0.0.1:{server.Port}/");
        return server;
    }

    public void Stop()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }
        stopping.Cancel();
        try
        {
            listener.Stop();
        }
        catch (SocketException)
        {
        }
        lock (keywordLock)
        {
            renode.Dispose();
            if (ownsEmulation)
            {
                Emulation.Dispose();
            }
        }
        stopped.TrySetResult();
    }

    public void Dispose() => Stop();

    private async Task AcceptLoop()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                break;
            }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new ConnectionBuffer(stream);
                while (!stopping.IsCancellationRequested)
                {
                    var keepAlive = await HandleRequest(buffer, stream);
                    if (!keepAlive)
                    {
                        break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client went away; nothing to answer.
            }
        }
    }

    /// <summary>Reads one HTTP request and answers it; false when the connection should close.</summary>
    private async Task<bool> HandleRequest(ConnectionBuffer buffer, NetworkStream stream)
    {
        var header = await buffer.ReadHeaderAsync(MaxHeaderBytes, stopping.Token);
        if (header == null)
        {
            return false;
        }
        var lines = header.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            await Respond(stream, 400, "Bad Request", RobotXmlRpc.FormatFault(1, "malformed HTTP request line"), keepAlive: false);
            return false;
        }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
            }
        }
        var keepAlive = requestLine[2] == "HTTP/1.1"
            ? !(headers.TryGetValue("Connection", out var c) && c.Equals("close", StringComparison.OrdinalIgnoreCase))
            : headers.TryGetValue("Connection", out var c10) && c10.Equals("keep-alive", StringComparison.OrdinalIgnoreCase);
        var length = 0;
        if (headers.TryGetValue("Content-Length", out var lengthText) &&
            (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > MaxBodyBytes))
        {
            await Respond(stream, 400, "Bad Request", RobotXmlRpc.FormatFault(1, "invalid Content-Length"), keepAlive: false);
            return false;
        }
        if (headers.ContainsKey("Transfer-Encoding"))
        {
            await Respond(stream, 411, "Length Required", RobotXmlRpc.FormatFault(1, "chunked requests are not supported; send Content-Length"), keepAlive: false);
            return false;
        }
        var body = await buffer.ReadBodyAsync(length, stopping.Token);
        if (body == null)
        {
            return false;
        }
        if (requestLine[0] != "POST")
        {
            await Respond(stream, 405, "Method Not Allowed", RobotXmlRpc.FormatFault(1, "XML-RPC requests must be POSTed"), keepAlive);
            return keepAlive;
        }
        string response;
        try
        {
            var (method, parameters) = RobotXmlRpc.ParseCall(Encoding.UTF8.GetString(body));
            response = Dispatch(method, parameters);
        }
        catch (FormatException e)
        {
            response = RobotXmlRpc.FormatFault(1, $"malformed XML-RPC request: {e.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever goes wrong while serving one call must not take the server down.
            response = RobotXmlRpc.FormatFault(2, $"{e.GetType().Name}: {e.Message}");
        }
        await Respond(stream, 200, "OK", response, keepAlive);
        return keepAlive;
    }

    private static async Task Respond(NetworkStream stream, int code, string reason, string body, bool keepAlive)
    {
        var payload = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {code} {reason}\r\nContent-Type: text/xml\r\nContent-Length: {payload.Length}\r\nConnection: {(keepAlive ? "keep-alive" : "close")}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(payload);
        await stream.FlushAsync();
    }

    /// <summary>Answers one XML-RPC method call (public so tests and other transports can use it).</summary>
    public string Dispatch(string method, IReadOnlyList<object?> parameters)
    {
        string Name(int index) => index < parameters.Count && parameters[index] is string s
            ? s : throw new FormatException($"{method} expects a keyword name as parameter {index + 1}");
        switch (method)
        {
            case "get_keyword_names":
                return RobotXmlRpc.FormatResponse(context.Keywords.LibraryKeywords.Select(k => k.Name).ToList());
            case "get_keyword_arguments":
            {
                var keyword = FindOrNull(Name(0));
                return keyword == null ? UnknownKeyword(Name(0)) : RobotXmlRpc.FormatResponse(keyword.Arguments.Select(a => a.ToString()).ToList());
            }
            case "get_keyword_documentation":
            {
                var name = Name(0);
                if (name is "__intro__" or "__init__")
                {
                    return RobotXmlRpc.FormatResponse(name == "__intro__" ? "Renode-compatible keywords of the LWKT RISC-V emulator." : "");
                }
                var keyword = FindOrNull(name);
                return keyword == null ? UnknownKeyword(name) : RobotXmlRpc.FormatResponse(keyword.Documentation);
            }
            case "get_keyword_types":
            {
                var keyword = FindOrNull(Name(0));
                return keyword == null ? UnknownKeyword(Name(0)) : RobotXmlRpc.FormatResponse(keyword.Types.ToDictionary(p => p.Key, p => (object?)p.Value));
            }
            case "get_keyword_tags":
            {
                var keyword = FindOrNull(Name(0));
                return keyword == null ? UnknownKeyword(Name(0)) : RobotXmlRpc.FormatResponse(keyword.Tags.ToList());
            }
            case "get_library_information":
            {
                var info = new Dictionary<string, object?>();
                foreach (var keyword in context.Keywords.LibraryKeywords)
                {
                    info[keyword.Name] = new Dictionary<string, object?>
                    {
                        ["args"] = keyword.Arguments.Select(a => (object?)a.ToString()).ToList(),
                        ["doc"] = keyword.Documentation,
                        ["tags"] = keyword.Tags.Cast<object?>().ToList(),
                        ["types"] = keyword.Types.ToDictionary(p => p.Key, p => (object?)p.Value),
                    };
                }
                return RobotXmlRpc.FormatResponse(info);
            }
            case "run_keyword":
                return RobotXmlRpc.FormatResponse(RunKeyword(Name(0), parameters));
            case "stop_remote_server":
                _ = Task.Run(Stop);
                return RobotXmlRpc.FormatResponse(true);
            default:
                return RobotXmlRpc.FormatFault(1, $"unknown method '{method}'");
        }
    }

    private IRobotKeyword? FindOrNull(string name) => context.Keywords.Find(name);

    private static string UnknownKeyword(string name) => RobotXmlRpc.FormatFault(1, $"No keyword with name '{name}' found.");

    private Dictionary<string, object?> RunKeyword(string name, IReadOnlyList<object?> parameters)
    {
        var arguments = new List<object?>();
        if (parameters.Count > 1)
        {
            arguments = parameters[1] as List<object?> ?? throw new FormatException("run_keyword expects the arguments as an array");
        }
        var named = new List<KeyValuePair<string, object?>>();
        if (parameters.Count > 2)
        {
            var kwargs = parameters[2] as Dictionary<string, object?> ?? throw new FormatException("run_keyword expects named arguments as a struct");
            named.AddRange(kwargs);
        }
        var result = new Dictionary<string, object?> { ["status"] = "FAIL", ["output"] = "", ["return"] = "", ["error"] = "", ["traceback"] = "" };
        lock (keywordLock)
        {
            if (stopping.IsCancellationRequested)
            {
                result["error"] = "the server is stopping";
                return result;
            }
            context.Messages.Clear();
            try
            {
                var value = context.RunKeywordWithValues(name, arguments, named);
                result["status"] = "PASS";
                result["return"] = value;
            }
            catch (RobotKeywordException e)
            {
                result["error"] = e.Message;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                result["error"] = $"{e.GetType().Name}: {e.Message}";
                result["traceback"] = e.StackTrace ?? "";
            }
            result["output"] = string.Join("\n", context.Messages.Select(m => "*" + m.Replace(": ", "* ", StringComparison.Ordinal)));
        }
        log?.WriteLine($"robot: {name} -> {result["status"]}");
        return result;
    }

    /// <summary>Buffered reading of HTTP requests from one connection (headers, then an exact-length body).</summary>
    private sealed class ConnectionBuffer
    {
        private readonly NetworkStream stream;
        private readonly byte[] buffer = new byte[8192];
        private int start;
        private int end;

        public ConnectionBuffer(NetworkStream stream)
        {
            this.stream = stream;
        }

        public async Task<string?> ReadHeaderAsync(int limit, CancellationToken cancellation)
        {
            var header = new List<byte>();
            var matched = 0;
            while (true)
            {
                if (start == end && !await FillAsync(cancellation))
                {
                    return null;
                }
                var b = buffer[start++];
                header.Add(b);
                // Look for CR LF CR LF; tolerate bare LF LF from hand-written clients.
                if (b == '\n' && header.Count >= 2 && header[^2] == '\n')
                {
                    return Encoding.ASCII.GetString(header.ToArray()).Replace("\r\n", "\n").Trim('\n').Replace("\n", "\r\n");
                }
                matched = b switch
                {
                    (byte)'\r' when matched is 0 or 2 => matched + 1,
                    (byte)'\n' when matched is 1 or 3 => matched + 1,
                    _ => 0,
                };
                if (matched == 4)
                {
                    return Encoding.ASCII.GetString(header.ToArray(), 0, header.Count - 4);
                }
                if (header.Count > limit)
                {
                    return null;
                }
            }
        }

        public async Task<byte[]?> ReadBodyAsync(int length, CancellationToken cancellation)
        {
            var body = new byte[length];
            var filled = 0;
            while (filled < length)
            {
                if (start == end && !await FillAsync(cancellation))
                {
                    return null;
                }
                var take = Math.Min(length - filled, end - start);
                Array.Copy(buffer, start, body, filled, take);
                start += take;
                filled += take;
            }
            return body;
        }

        private async Task<bool> FillAsync(CancellationToken cancellation)
        {
            start = 0;
            end = await stream.ReadAsync(buffer, cancellation);
            return end > 0;
        }
    }
}
