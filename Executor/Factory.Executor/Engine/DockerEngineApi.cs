using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Factory.Contracts.Failures;

namespace Factory.Executor.Engine;

/// <summary>
/// The engine's API through Docker.DotNet.Enhanced (DOCKER_HOST unix:// or tcp://; by default /var/run/docker.sock):
/// containers, execs, archives, image inspect and events. Whatever the engine or its socket does wrong (refused,
/// cut, 5xx, an answer it should not give) leaves here as an InfrastructureException naming the engine; answers that
/// mean something about the item (no such file, the container is gone, the command cannot be run) are values.
/// </summary>
public sealed class DockerEngineApi : IDisposable
{
    public const string EngineService = "docker engine";
    // Said where the test's output ends, so that a 137 is not taken for the test's own doing.
    private const string OutOfMemoryNote = "\n[factory: the kernel killed a process of this container: it ran out of memory (Executor:TestMemory)]\n";
    private readonly DockerClient _client;
    private readonly OutputLimits _limits;

    /// <summary>The engine at dockerHost, else where DOCKER_HOST points (as for the docker CLI), else the default socket.</summary>
    public DockerEngineApi(string? dockerHost, OutputLimits? limits = null)
    {
        _limits = limits ?? OutputLimits.Default;
        var host = Host(dockerHost);
        if (!host.StartsWith("unix://", StringComparison.Ordinal) && !host.StartsWith("tcp://", StringComparison.Ordinal))
            throw new InfrastructureException(EngineService, $"DOCKER_HOST {host} is not supported: expected unix:///path or tcp://host:port") { Transient = false };
        // No API version: the engine's own (1.41 on Debian's 20.10); newer engines refuse versions as old as that.
        _client = new DockerClientBuilder().WithEndpoint(new Uri(host)).Build();
    }

    /// <summary>The engine's address: dockerHost, else DOCKER_HOST, else the default socket.</summary>
    public static string Host(string? dockerHost) =>
        !string.IsNullOrEmpty(dockerHost) ? dockerHost
        : Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } fromEnvironment ? fromEnvironment
        : "unix:///var/run/docker.sock";

    /// <summary>The socket file of a unix:// address, else null.</summary>
    public static string? SocketPath(string host) => host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : null;

    /// <summary>Throws, naming the engine, when it does not answer.</summary>
    public async Task PingAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        try
        {
            await CallAsync("ping", () => _client.System.PingAsync(timeout.Token));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InfrastructureException(EngineService, "not reachable (no answer within 20 s); start it with deploy/local/up.sh");
        }
    }

    public async Task<string> ArchitectureAsync(CancellationToken ct) =>
        (await CallAsync("version", () => _client.System.GetVersionAsync(ct))).Arch;

    /// <summary>The engine's release as it reports it, e.g. 20.10.24+dfsg1.</summary>
    public async Task<string> VersionAsync(CancellationToken ct) =>
        (await CallAsync("version", () => _client.System.GetVersionAsync(ct))).Version;

    /// <summary>The image as the engine has it; null when it has no such image.</summary>
    public async Task<ImageInspectResponse?> InspectImageAsync(string image, CancellationToken ct)
    {
        try
        {
            return await CallAsync($"inspecting the image {image}", () => _client.Images.InspectImageAsync(image, ct), HttpStatusCode.NotFound);
        }
        catch (DockerApiException)
        {
            return null;
        }
    }

    public Task TagImageAsync(string source, string repository, string tag, CancellationToken ct) =>
        CallAsync($"tagging {source} as {repository}:{tag}", () => _client.Images.TagImageAsync(source, new ImageTagParameters { RepositoryName = repository, Tag = tag }, ct));

    /// <summary>Creates the container (never pulling: the API does not); the image must be there.</summary>
    public Task CreateContainerAsync(CreateContainerParameters parameters, CancellationToken ct) =>
        CallAsync($"could not create a container from {parameters.Image}", () => _client.Containers.CreateContainerAsync(parameters, ct));

    /// <summary>Starts the container; the engine's reason when it refused (the runtime could not run the command: <see cref="ContainerStartFailure"/>).</summary>
    public async Task<string?> StartContainerAsync(string container, CancellationToken ct)
    {
        try
        {
            await CallAsync($"starting {container}", () => _client.Containers.StartContainerAsync(container, null, ct), HttpStatusCode.BadRequest, HttpStatusCode.InternalServerError);
            return null;
        }
        catch (DockerApiException ex)
        {
            return Reason(ex);
        }
    }

    /// <summary>Kills and removes the container; nothing happens when it is not there (or already being removed).</summary>
    public async Task RemoveContainerAsync(string container, CancellationToken ct)
    {
        try
        {
            await CallAsync($"removing {container}", () => _client.Containers.RemoveContainerAsync(container, new ContainerRemoveParameters { Force = true }, ct), HttpStatusCode.NotFound, HttpStatusCode.Conflict);
        }
        catch (DockerApiException)
        {
        }
    }

    /// <summary>
    /// Runs the created container's command as `docker run` would: attached, its stdout and stderr read as they come
    /// into bounded captures, until it exits or the timeout passes (then TimedOut; the caller removes the container).
    /// The exit code and an OOM kill come from the engine's events, which it keeps after an auto-removed container is gone.
    /// </summary>
    public async Task<ContainerRunOutcome> RunAsync(string container, TimeSpan timeout, CancellationToken ct, TestOutputSpools? spools = null)
    {
        var watch = Stopwatch.StartNew();
        using var stopEvents = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ended = ContainerEndAsync(container, stopEvents.Token);
        try
        {
            var stdout = new OutputCapture(_limits, spools?.Stdout);
            var stderr = new OutputCapture(_limits, spools?.Stderr);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(timeout);
            try
            {
                using var stream = await CallAsync($"attaching to {container}", () => _client.Containers.AttachContainerAsync(container,
                    new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, deadline.Token));
                if (await StartContainerAsync(container, deadline.Token) is { } refused)
                {
                    var code = ContainerStartFailure.ExitCode(refused);
                    if (code == ContainerStartFailure.EngineFailed)
                        throw new InfrastructureException(EngineService, $"could not start the test container {container}: {refused}");
                    return new ContainerRunOutcome(code, "", refused + "\n", false, watch.Elapsed);
                }
                await CopyOutputAsync(stream, stdout, stderr, container, deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return new ContainerRunOutcome(-1, stdout.Text(), stderr.Text(), true, watch.Elapsed);
            }
            using var late = CancellationTokenSource.CreateLinkedTokenSource(ct);
            late.CancelAfter(TimeSpan.FromSeconds(30));
            var (exitCode, oomKilled) = await ended.WaitAsync(late.Token).ConfigureAwait(false);
            if (oomKilled) stderr.Write(System.Text.Encoding.UTF8.GetBytes(OutOfMemoryNote));
            return new ContainerRunOutcome(exitCode, stdout.Text(), stderr.Text(), false, watch.Elapsed);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InfrastructureException(EngineService, $"{container} ended its output but no 'die' event came within 30 s");
        }
        finally
        {
            await stopEvents.CancelAsync();
            try { await ended; }
            catch (Exception ex) when (ex is OperationCanceledException or InfrastructureException) { }
        }
    }

    /// <summary>How the container ended: its die event's exit code, and whether an oom event came before it.</summary>
    private async Task<(int ExitCode, bool OomKilled)> ContainerEndAsync(string container, CancellationToken ct)
    {
        // Since a minute ago: the engine replays what it has buffered, so a container that died before this request
        // arrived is still seen. Names carry a delivery id and a counter: no older container had this one's.
        var parameters = new ContainerEventsParameters
        {
            Since = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["type"] = new Dictionary<string, bool> { ["container"] = true },
                ["container"] = new Dictionary<string, bool> { [container] = true },
                ["event"] = new Dictionary<string, bool> { ["die"] = true, ["oom"] = true },
            },
        };
        using var died = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var end = new ContainerEnd(died.Cancel);
        try
        {
            await CallAsync($"following the events of {container}", () => _client.System.MonitorEventsAsync(parameters, end, died.Token));
        }
        // The stream is cut once the die came: whatever that throws is the end asked for.
        catch (Exception) when (end.ExitCode is not null)
        {
        }
        return end.ExitCode is { } exitCode ? (exitCode, end.OomKilled)
            : throw new InfrastructureException(EngineService, $"the events of {container} ended before it died");
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
        try
        {
            id = (await CallAsync($"exec in {container}", () => _client.Exec.CreateContainerExecAsync(container,
                new ContainerExecCreateParameters { AttachStdout = true, AttachStderr = true, Cmd = [.. command] }, ct), HttpStatusCode.NotFound, HttpStatusCode.Conflict)).ID;
        }
        catch (DockerApiException ex)
        {
            return new ContainerRunOutcome(-1, "", Reason(ex), false, watch.Elapsed, ContainerGone: true);
        }

        var stdout = new OutputCapture(_limits, spools?.Stdout);
        var stderr = new OutputCapture(_limits, spools?.Stderr);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            MultiplexedStream stream;
            try
            {
                stream = await CallAsync($"exec in {container}", () => _client.Exec.StartContainerExecAsync(id, new ContainerExecStartParameters(), deadline.Token), HttpStatusCode.NotFound, HttpStatusCode.Conflict);
            }
            catch (DockerApiException ex)
            {
                return new ContainerRunOutcome(-1, "", Reason(ex), false, watch.Elapsed, ContainerGone: true);
            }
            using (stream) await CopyOutputAsync(stream, stdout, stderr, container, deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The command may still be running: the caller removes its container.
            return new ContainerRunOutcome(-1, stdout.Text(), stderr.Text(), true, watch.Elapsed);
        }
        return new ContainerRunOutcome(await ExecExitCodeAsync(id, ct), stdout.Text(), stderr.Text(), false, watch.Elapsed);
    }

    /// <summary>The exit code of a finished exec; the engine may take a moment to mark it finished once its output closed.</summary>
    private async Task<int> ExecExitCodeAsync(string id, CancellationToken ct)
    {
        for (var wait = 0; ; wait++)
        {
            var exec = await CallAsync($"inspecting exec {id}", () => _client.Exec.InspectContainerExecAsync(id, ct));
            if (!exec.Running || wait >= 100) return (int)(exec.ExitCode ?? -1);
            await Task.Delay(50, ct);
        }
    }

    /// <summary>
    /// The engine's multiplexed stdout and stderr, read through one buffer into captures of bounded size: however much
    /// the command prints, nothing else is held.
    /// </summary>
    private static async Task CopyOutputAsync(MultiplexedStream stream, OutputCapture stdout, OutputCapture stderr, string container, CancellationToken ct)
    {
        var buffer = new byte[81920];
        try
        {
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct);
                if (read.EOF) return;
                (read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout).Write(buffer.AsSpan(0, read.Count));
            }
        }
        catch (IOException ex) when (!ct.IsCancellationRequested)
        {
            throw new InfrastructureException(EngineService, $"lost the output of {container}: {ex.Message}");
        }
        catch (IOException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
    }

    /// <summary>The tar `docker cp CONTAINER:PATH -` would write, or null when there is nothing at the path.</summary>
    public async Task<byte[]?> ArchiveAsync(string container, string path, long maxBytes, CancellationToken ct)
    {
        ContainerArchiveResponse archive;
        try
        {
            archive = await CallAsync($"reading {path} from {container}",
                () => _client.Containers.GetArchiveFromContainerAsync(container, new ContainerPathStatParameters { Path = path }, statOnly: false, ct), HttpStatusCode.NotFound, HttpStatusCode.InternalServerError);
        }
        catch (DockerApiException ex) when (ex.ResponseBody is { } body &&
            (body.Contains("Could not find the file", StringComparison.Ordinal) || body.Contains("not a directory", StringComparison.Ordinal)))
        {
            return null;
        }
        catch (DockerApiException ex)
        {
            throw new InfrastructureException(EngineService, $"reading {path} from {container}: {Reason(ex)}");
        }
        await using var content = archive.Stream ?? Stream.Null;
        var tar = new MemoryStream();
        var buffer = new byte[81920];
        int count;
        while ((count = await ReadAsync(content, buffer, $"reading {path} from {container}", ct)) > 0)
        {
            if (tar.Length + count > maxBytes)
                throw new InvalidDataException($"{path} in {container} is larger than {maxBytes / (1024 * 1024)} MiB; not read");
            tar.Write(buffer, 0, count);
        }
        return tar.ToArray();
    }

    private static async Task<int> ReadAsync(Stream stream, byte[] buffer, string what, CancellationToken ct)
    {
        try
        {
            return await stream.ReadAsync(buffer, ct);
        }
        catch (IOException ex)
        {
            throw new InfrastructureException(EngineService, $"{what}: the engine cut the answer ({ex.Message})");
        }
    }

    /// <summary>
    /// One call to the engine. Its transport failing, and any error answer, become InfrastructureExceptions naming the
    /// engine, except the statuses the caller expects and handles (the DockerApiException is left to it).
    /// </summary>
    private static async Task<T> CallAsync<T>(string what, Func<Task<T>> call, params HttpStatusCode[] expected)
    {
        try
        {
            return await call();
        }
        catch (DockerApiException ex) when (expected.Contains(ex.StatusCode))
        {
            throw;
        }
        catch (DockerApiException ex)
        {
            // Transient even for 4xx: what the engine refuses (an image it lost, a container removed under us) a rebuild on retry may mend.
            throw new InfrastructureException(EngineService, $"{what}: {Reason(ex)}");
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or IOException)
        {
            // No inner exception: a dead letter's reason is the innermost message, and it must name the engine.
            throw new InfrastructureException(EngineService, $"not reachable ({(ex.InnerException ?? ex).Message}); start it with deploy/local/up.sh");
        }
    }

    private static Task CallAsync(string what, Func<Task> call, params HttpStatusCode[] expected) =>
        CallAsync<bool>(what, async () => { await call(); return true; }, expected);

    /// <summary>The engine's own message ({"message": "..."}), else the status and body as they came.</summary>
    private static string Reason(DockerApiException ex)
    {
        var body = ex.ResponseBody?.Trim() ?? "";
        try
        {
            if (body.StartsWith('{') && JsonDocument.Parse(body).RootElement.TryGetProperty("message", out var message) && message.GetString() is { } text)
                return $"{(int)ex.StatusCode} {text}";
        }
        catch (JsonException)
        {
        }
        return $"{(int)ex.StatusCode} {body}";
    }

    public void Dispose() => _client.Dispose();
}
