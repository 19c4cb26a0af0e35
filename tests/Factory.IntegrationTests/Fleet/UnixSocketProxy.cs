using System.Net.Sockets;

namespace Factory.IntegrationTests.Fleet;

/// <summary>
/// Stands between an executor and the real Docker engine socket. Stopping it makes the engine unreachable
/// for that executor alone (as an engine that went down would be), without stopping the engine everyone shares.
/// </summary>
public sealed class UnixSocketProxy : IAsyncDisposable
{
    private readonly string _target;
    private Socket? _listener;
    private CancellationTokenSource? _stop;
    private readonly List<Socket> _open = [];

    public string Path { get; }

    public UnixSocketProxy(string target = "/var/run/docker.sock")
    {
        _target = target;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"factory-engine-{Guid.NewGuid():N}.sock");
    }

    public void Start()
    {
        if (File.Exists(Path)) File.Delete(Path);
        _stop = new CancellationTokenSource();
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(64);
        _ = AcceptLoopAsync(_listener, _stop.Token);
    }

    /// <summary>The engine "goes down": new connections are refused, open ones are cut.</summary>
    public void Stop()
    {
        _stop?.Cancel();
        _listener?.Dispose();
        _listener = null;
        lock (_open)
        {
            foreach (var s in _open) s.Dispose();
            _open.Clear();
        }
        if (File.Exists(Path)) File.Delete(Path);
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try { client = await listener.AcceptAsync(ct); }
            catch (Exception) { return; }
            _ = PipeAsync(client, ct);
        }
    }

    private async Task PipeAsync(Socket client, CancellationToken ct)
    {
        var upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        lock (_open) { _open.Add(client); _open.Add(upstream); }
        try
        {
            await upstream.ConnectAsync(new UnixDomainSocketEndPoint(_target), ct);
            // Each direction ends on its own (the docker CLI half-closes its side of an attach), then passes the end on.
            await Task.WhenAll(CopyAsync(client, upstream, ct), CopyAsync(upstream, client, ct));
        }
        catch (Exception) { }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }

    private static async Task CopyAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct);
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception) { }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
