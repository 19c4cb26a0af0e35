using System.Net;
using System.Net.Sockets;

namespace Factory.IntegrationTests.Evidence;

/// <summary>
/// Stands between a client and a TCP service on 127.0.0.1 (the S3 endpoint here), on a free port of its own.
/// Stopping it makes the service unreachable for whoever connects through it (connections refused, open ones cut),
/// as an outage would, without stopping the service everyone shares; starting it again listens on the same port.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<Socket> _open = [];
    private Socket? _listener;
    private CancellationTokenSource? _stop;

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public bool Running => _listener is not null;

    public TcpProxy(int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Start()
    {
        if (_listener is not null) return;
        _stop = new CancellationTokenSource();
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, Port));
        listener.Listen(128);
        _listener = listener;
        _ = AcceptLoopAsync(listener, _stop.Token);
    }

    /// <summary>The service "goes down" for our clients: new connections are refused, open ones are cut.</summary>
    public void Stop()
    {
        _stop?.Cancel();
        _listener?.Dispose();
        _listener = null;
        lock (_open)
        {
            foreach (var s in _open)
            {
                try { s.LingerState = new LingerOption(true, 0); } catch (Exception) { }
                s.Dispose();
            }
            _open.Clear();
        }
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
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        lock (_open) { _open.Add(client); _open.Add(upstream); }
        try
        {
            await upstream.ConnectAsync(_target, ct);
            await Task.WhenAll(CopyAsync(client, upstream, ct), CopyAsync(upstream, client, ct));
        }
        catch (Exception) { }
        finally
        {
            lock (_open) { _open.Remove(client); _open.Remove(upstream); }
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
