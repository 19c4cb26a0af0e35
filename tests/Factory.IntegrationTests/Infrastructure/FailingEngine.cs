using System.Net.Sockets;
using System.Text;

namespace Factory.IntegrationTests.Infrastructure;

/// <summary>
/// A SIMULATOR of a broken Docker engine, for the one failure the real engine will not produce on demand: it answers
/// every request on its Unix socket with 500 and the engine's error body. Only for tests of how 5xx is classified.
/// </summary>
public sealed class FailingEngine : IAsyncDisposable
{
    public const string Message = "simulated engine failure";
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public FailingEngine()
    {
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(16);
        _serving = ServeAsync();
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"factory-failing-engine-{Guid.NewGuid():N}.sock");

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptAsync(_stop.Token); }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = AnswerAsync(client);
        }
    }

    private static async Task AnswerAsync(Socket client)
    {
        using (client)
        {
            // Requests without a body (GET, HEAD): the headers end the request.
            var request = new StringBuilder();
            var buffer = new byte[4096];
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await client.ReceiveAsync(buffer);
                if (read == 0) return;
                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            var body = $"{{\"message\":\"{Message}\"}}";
            var response = $"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
            await client.SendAsync(Encoding.ASCII.GetBytes(response));
            client.Shutdown(SocketShutdown.Both);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _serving;
        _stop.Dispose();
        File.Delete(Path);
    }
}
