using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Factory.IntegrationTests.Evidence;

/// <summary>
/// A fault injector, not a store: an HTTP endpoint on 127.0.0.1 that answers every request with one error status, as a
/// load balancer or gateway in front of the storage does when it is overloaded (RGW itself cannot be made to).
/// </summary>
public sealed class FailingGateway : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly byte[] _response;
    private int _requests;

    public string Url { get; }
    public int Requests => _requests;

    public FailingGateway(int status, string body)
    {
        var reason = ((HttpStatusCode)status).ToString();
        var content = Encoding.UTF8.GetBytes(body);
        _response = [.. Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html\r\nContent-Length: {content.Length}\r\nConnection: close\r\n\r\n"), .. content];
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _serving = ServeAsync();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = AnswerAsync(socket);
        }
    }

    private async Task AnswerAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                // The request's head is read and its body, if any, left unread: the answer does not depend on it.
                var buffer = new byte[16384];
                var head = new StringBuilder();
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await socket.ReceiveAsync(buffer, _stop.Token);
                    if (read == 0) return;
                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
                Interlocked.Increment(ref _requests);
                await socket.SendAsync(_response, _stop.Token);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
