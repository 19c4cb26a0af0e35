using System.Net;
using System.Net.Sockets;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests.Fleet;

/// <summary>A proxy to the real Docker engine socket: stopping it is, for the executor behind it, the engine going down.</summary>
public sealed class UnixSocketProxy(string target = "/var/run/docker.sock") : SocketProxy
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"factory-engine-{Guid.NewGuid():N}.sock");

    protected override EndPoint ListenAt => new UnixDomainSocketEndPoint(Path);
    protected override EndPoint Target => new UnixDomainSocketEndPoint(target);
    protected override Socket NewSocket() => new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    protected override void BeforeBind() => File.Delete(Path);

    public override void Stop()
    {
        base.Stop();
        File.Delete(Path);
    }
}
