using System.Net;
using System.Net.Sockets;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests.Evidence;

/// <summary>
/// A proxy to a TCP service on 127.0.0.1 (the S3 endpoint here), on a free port of its own, which keeps the HTTP request
/// lines its clients send.
/// </summary>
public sealed class TcpProxy : SocketProxy
{
    private readonly IPEndPoint _target;

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public HttpRequestLines Requests { get; } = new();

    public TcpProxy(int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    protected override EndPoint ListenAt => new IPEndPoint(IPAddress.Loopback, Port);
    protected override EndPoint Target => _target;
    protected override Socket NewSocket() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    protected override Action<ReadOnlyMemory<byte>> WatchClient() => Requests.Watcher();
}
