using System.Net;
using System.Net.Sockets;

namespace Factory.IntegrationTests.Infrastructure;

/// <summary>
/// Stands between a client and a service everyone shares. Stopping it makes the service unreachable for whoever
/// connects through it (new connections refused, open ones cut), as an outage would, without stopping the
/// service; starting it again listens at the same address. Each direction of a connection ends on its own, so
/// half-closes (as the docker CLI does on attach) pass through.
/// </summary>
public abstract class SocketProxy : IAsyncDisposable
{
    private readonly List<Socket> _open = [];
    private Socket? _listener;
    private CancellationTokenSource? _stop;

    public bool Running => _listener is not null;

    protected abstract EndPoint ListenAt { get; }
    protected abstract EndPoint Target { get; }
    protected abstract Socket NewSocket();
    protected virtual void BeforeBind() { }

    /// <summary>For each connection, what is shown every chunk its client sends, in order (nothing by default).</summary>
    protected virtual Action<ReadOnlyMemory<byte>>? WatchClient() => null;

    public void Start()
    {
        if (_listener is not null) return;
        BeforeBind();
        _stop = new CancellationTokenSource();
        var listener = NewSocket();
        if (listener.AddressFamily == AddressFamily.InterNetwork)
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(ListenAt);
        listener.Listen(128);
        _listener = listener;
        _ = AcceptLoopAsync(listener, _stop.Token);
    }

    public virtual void Stop()
    {
        _stop?.Cancel();
        _listener?.Dispose();
        _listener = null;
        lock (_open)
        {
            foreach (var s in _open)
            {
                try { if (s.AddressFamily == AddressFamily.InterNetwork) s.LingerState = new LingerOption(true, 0); } catch (Exception) { }
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
        var upstream = NewSocket();
        lock (_open) { _open.Add(client); _open.Add(upstream); }
        try
        {
            await upstream.ConnectAsync(Target, ct);
            await Task.WhenAll(CopyAsync(client, upstream, WatchClient(), ct), CopyAsync(upstream, client, null, ct));
        }
        catch (Exception) { }
        finally
        {
            lock (_open) { _open.Remove(client); _open.Remove(upstream); }
            client.Dispose();
            upstream.Dispose();
        }
    }

    private static async Task CopyAsync(Socket from, Socket to, Action<ReadOnlyMemory<byte>>? watch, CancellationToken ct)
    {
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
            {
                watch?.Invoke(buffer.AsMemory(0, read));
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct);
            }
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
