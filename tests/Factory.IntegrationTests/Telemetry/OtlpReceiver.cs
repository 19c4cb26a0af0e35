using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;

namespace Factory.IntegrationTests.Telemetry;

/// <summary>
/// An OTLP/HTTP (protobuf) receiver for a test, standing in for a collector: POST /v1/traces is read into spans,
/// POST /v1/metrics (and anything else) is accepted and dropped. Point OTEL_EXPORTER_OTLP_ENDPOINT at <see cref="Url"/>
/// with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly Task _loop;
    private int _traceRequests;

    public string Url { get; }
    public IReadOnlyList<ReceivedSpan> Spans => _spans.ToList();
    public int TraceRequests => _traceRequests;

    public OtlpReceiver()
    {
        Url = $"http://127.0.0.1:{LocalFleet.FreePort()}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try
            {
                using var body = new MemoryStream();
                var input = context.Request.Headers["Content-Encoding"] == "gzip" ? new GZipStream(context.Request.InputStream, CompressionMode.Decompress) : context.Request.InputStream;
                await input.CopyToAsync(body);
                if (context.Request.Url?.AbsolutePath == "/v1/traces")
                {
                    Interlocked.Increment(ref _traceRequests);
                    foreach (var span in OtlpTraceRequest.Spans(body.ToArray())) _spans.Enqueue(span);
                }
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
            }
            catch (FormatException)
            {
                context.Response.StatusCode = 400;
            }
            context.Response.Close();
        }
    }

    /// <summary>Waits until the spans received satisfy the condition; returns them (the caller asserts on the last ones if it never does).</summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitForAsync(Func<IReadOnlyList<ReceivedSpan>, bool> condition, TimeSpan timeout) =>
        (await Poll.UntilAsync(() => Spans, condition, timeout, TimeSpan.FromMilliseconds(250))).Answer;

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        await _loop;
    }

}
