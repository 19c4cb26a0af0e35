using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Factory.Contracts.Failures;

namespace Factory.Executor.Engine;

/// <summary>
/// The engine's HTTP API on its own socket (DOCKER_HOST unix:// or tcp://; by default /var/run/docker.sock), for the
/// calls an item makes many times, where starting a CLI process costs more than the call: exec'ing tests and reading
/// files out of containers. Engine failures are InfrastructureExceptions.
/// </summary>
public sealed class DockerEngineApi : IDisposable
{
    private const string EngineService = "docker engine";
    // The engine's own field names (AttachStdout, Cmd), not the web defaults' camelCase.
    private static readonly JsonSerializerOptions Json = new();
    private readonly HttpClient _http;
    private readonly OutputLimits _limits;

    /// <summary>The engine at dockerHost, else where DOCKER_HOST points (as for the docker CLI), else the default socket.</summary>
    public DockerEngineApi(string? dockerHost, OutputLimits? limits = null)
    {
        _limits = limits ?? OutputLimits.Default;
        var host = !string.IsNullOrEmpty(dockerHost) ? dockerHost
            : Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } fromEnvironment ? fromEnvironment
            : "unix:///var/run/docker.sock";
        if (host.StartsWith("unix://", StringComparison.Ordinal))
        {
            var socket = host["unix://".Length..];
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await unix.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
                        return new NetworkStream(unix, ownsSocket: true);
                    }
                    catch
                    {
                        unix.Dispose();
                        throw;
                    }
                },
            };
            _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker/v1.41/") };
        }
        else if (host.StartsWith("tcp://", StringComparison.Ordinal))
            _http = new HttpClient { BaseAddress = new Uri($"http://{host["tcp://".Length..].TrimEnd('/')}/v1.41/") };
        else
            throw new InfrastructureException(EngineService, $"DOCKER_HOST {host} is not supported: expected unix:///path or tcp://host:port");
        _http.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>Throws, naming the engine, when it does not answer.</summary>
    public async Task PingAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        try
        {
            using var response = await SendAsync(HttpMethod.Get, "_ping", null, timeout.Token);
            await EnsureSuccessAsync(response, "ping", ct);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InfrastructureException(EngineService, "not reachable (no answer within 20 s); start it with deploy/local/up.sh");
        }
    }

    /// <summary>
    /// Runs the command in the container; ContainerGone when the container is not running (the command did not run).
    /// With <paramref name="spools"/>, the whole output also goes to them as it arrives.
    /// </summary>
    public async Task<ContainerRunOutcome> ExecAsync(string container, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct,
        TestOutputSpools? spools = null)
    {
        var watch = Stopwatch.StartNew();
        string id;
        using (var created = await SendAsync(HttpMethod.Post, $"containers/{Uri.EscapeDataString(container)}/exec",
                   new { AttachStdin = false, AttachStdout = true, AttachStderr = true, Tty = false, Cmd = command }, ct))
        {
            if (created.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
                return new ContainerRunOutcome(-1, "", await created.Content.ReadAsStringAsync(ct), false, watch.Elapsed, ContainerGone: true);
            await EnsureSuccessAsync(created, $"exec in {container}", ct);
            id = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("Id").GetString()!;
        }

        var stdout = new OutputCapture(_limits, spools?.Stdout);
        var stderr = new OutputCapture(_limits, spools?.Stderr);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            using var started = await SendAsync(HttpMethod.Post, $"exec/{id}/start", new { Detach = false, Tty = false }, deadline.Token, HttpCompletionOption.ResponseHeadersRead);
            if (started.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
                return new ContainerRunOutcome(-1, "", await started.Content.ReadAsStringAsync(ct), false, watch.Elapsed, ContainerGone: true);
            await EnsureSuccessAsync(started, $"exec in {container}", ct);
            await using var stream = await started.Content.ReadAsStreamAsync(deadline.Token);
            await DemultiplexAsync(stream, stdout, stderr, deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The command may still be running: the caller removes its container.
            return new ContainerRunOutcome(-1, stdout.Text(), stderr.Text(), true, watch.Elapsed);
        }
        catch (IOException ex)
        {
            throw new InfrastructureException(EngineService, $"lost the output of an exec in {container}: {ex.Message}");
        }
        return new ContainerRunOutcome(await ExitCodeAsync(id, ct), stdout.Text(), stderr.Text(), false, watch.Elapsed);
    }

    /// <summary>The tar `docker cp CONTAINER:PATH -` would write, or null when there is nothing at the path.</summary>
    public async Task<byte[]?> ArchiveAsync(string container, string path, long maxBytes, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"containers/{Uri.EscapeDataString(container)}/archive?path={Uri.EscapeDataString(path)}", null, ct,
            HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.InternalServerError)
        {
            var message = await response.Content.ReadAsStringAsync(ct);
            if (message.Contains("Could not find the file", StringComparison.Ordinal) || message.Contains("not a directory", StringComparison.Ordinal)) return null;
            throw new InfrastructureException(EngineService, $"reading {path} from {container}: {message.Trim()}");
        }
        await EnsureSuccessAsync(response, $"reading {path} from {container}", ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var tar = new MemoryStream();
        var buffer = new byte[81920];
        int count;
        while ((count = await body.ReadAsync(buffer, ct)) > 0)
        {
            if (tar.Length + count > maxBytes)
                throw new InvalidDataException($"{path} in {container} is larger than {maxBytes / (1024 * 1024)} MiB; not read");
            tar.Write(buffer, 0, count);
        }
        return tar.ToArray();
    }

    /// <summary>Whether the container exists and runs.</summary>
    public async Task<bool> RunningAsync(string container, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"containers/{Uri.EscapeDataString(container)}/json", null, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureSuccessAsync(response, $"inspecting {container}", ct);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("State").GetProperty("Running").GetBoolean();
    }

    /// <summary>The exit code of a finished exec; the engine may take a moment to mark it finished once its output closed.</summary>
    private async Task<int> ExitCodeAsync(string id, CancellationToken ct)
    {
        for (var wait = 0; ; wait++)
        {
            using var response = await SendAsync(HttpMethod.Get, $"exec/{id}/json", null, ct);
            await EnsureSuccessAsync(response, $"inspecting exec {id}", ct);
            var exec = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            if (!exec.GetProperty("Running").GetBoolean() || wait >= 100) return exec.GetProperty("ExitCode").GetInt32();
            await Task.Delay(50, ct);
        }
    }

    /// <summary>
    /// The engine's multiplexed stream: frames of [stream (1 stdout, 2 stderr), 0, 0, 0, size (big-endian uint32)] + payload.
    /// Read through one buffer into captures of bounded size: however much the command prints, nothing else is held.
    /// </summary>
    private static async Task DemultiplexAsync(Stream stream, OutputCapture stdout, OutputCapture stderr, CancellationToken ct)
    {
        var header = new byte[8];
        var buffer = new byte[81920];
        while (await ReadFullyAsync(stream, header, ct))
        {
            var target = header[0] == 2 ? stderr : stdout;
            var left = (long)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            while (left > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct);
                if (read == 0) return;
                target.Write(buffer.AsSpan(0, read));
                left -= read;
            }
        }
    }

    private static async Task<bool> ReadFullyAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), ct);
            if (read == 0) return false;
            filled += read;
        }
        return true;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? json, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : JsonContent.Create(json, options: Json) };
        try
        {
            return await _http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException ex)
        {
            // No inner exception: a dead letter's reason is the innermost message, and it must name the engine.
            throw new InfrastructureException(EngineService, $"not reachable ({ex.Message}); start it with deploy/local/up.sh");
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var message = await response.Content.ReadAsStringAsync(ct);
        throw new InfrastructureException(EngineService, $"{what}: {(int)response.StatusCode} {message.Trim()}");
    }

    public void Dispose() => _http.Dispose();
}
