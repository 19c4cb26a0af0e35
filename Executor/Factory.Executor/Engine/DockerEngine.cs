using System.Globalization;
using System.Text.RegularExpressions;
using Factory.Contracts.Failures;
using Factory.Manifests;

namespace Factory.Executor.Engine;

/// <summary>
/// The local Docker engine. Builds, pushes and pulls go through the Debian docker CLI with BuildKit (DOCKER_BUILDKIT=1):
/// builds take their context as a tar on stdin, use --network none unless a module declared build.network (then host, to reach package mirrors) and inline
/// cache, and their plain progress is the log kept as evidence (README: "Builds stay on the BuildKit CLI"). Containers,
/// execs, file reads, image inspect and tags go to the Engine API (<see cref="DockerEngineApi"/>, Docker.DotNet), with
/// test containers created as <see cref="TestContainerParameters"/> says.
/// </summary>
public sealed partial class DockerEngine(ExecutorOptions options) : IContainerEngine, IDisposable
{
    private const string EngineService = DockerEngineApi.EngineService;
    private readonly Dictionary<string, string> _environment = Environment(options);
    private readonly Lazy<DockerEngineApi> _api = new(() => new DockerEngineApi(options.DockerHost, options.OutputLimits));
    private readonly EngineBuildGate _gate = new(options.BuildGateDirectory);
    private bool? _gateNeeded;

    private static Dictionary<string, string> Environment(ExecutorOptions options)
    {
        var environment = new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "1" };
        if (!string.IsNullOrEmpty(options.DockerHost)) environment["DOCKER_HOST"] = options.DockerHost;
        return environment;
    }

    [GeneratedRegex(@"digest: (sha256:[a-f0-9]{64})")]
    private static partial Regex PushedDigest();

    public async Task EnsureAvailableAsync(CancellationToken ct)
    {
        if (!File.Exists(options.DockerCli))
            throw new InfrastructureException(EngineService, $"the docker CLI {options.DockerCli} is not installed (deploy/local/up.sh installs docker.io)");
        await _api.Value.PingAsync(ct);
    }

    /// <summary>How long a command or an executor starting up waits for an engine that may be restarting.</summary>
    public static readonly TimeSpan RestartPatience = TimeSpan.FromSeconds(20);

    /// <summary>
    /// <see cref="EnsureAvailableAsync"/> for a command or an executor about to start. An engine whose socket file is there
    /// but which does not answer is most likely restarting (deploy/local/supervise.sh starts dockerd again within seconds
    /// of its death), so it is asked again as <see cref="ServiceWait"/> asks, for up to <paramref name="patience"/>, and
    /// <paramref name="waiting"/> hears once why. No socket file (no engine was ever started there), a tcp:// engine
    /// and a missing CLI fail at once.
    /// </summary>
    public async Task WaitUntilAvailableAsync(TimeSpan patience, Action<string> waiting, CancellationToken ct)
    {
        var socket = DockerEngineApi.SocketPath(DockerEngineApi.Host(options.DockerHost));
        if (socket is null || !File.Exists(socket) || !File.Exists(options.DockerCli))
        {
            await EnsureAvailableAsync(ct);
            return;
        }
        await ServiceWait.UntilDoneAsync(EnsureAvailableAsync, (attempt, ex) =>
        {
            if (attempt == 1) waiting($"{ex.Message}; its socket {socket} is there, so it may be restarting: waiting up to {patience.TotalSeconds:0} s");
        }, ct, patience: patience);
    }

    public Task<string> ServerArchitectureAsync(CancellationToken ct) => _api.Value.ArchitectureAsync(ct);

    public async Task<ImageBuildOutcome> BuildAsync(ImageBuildRequest request, CancellationToken ct)
    {
        // No network for RUN steps unless a module declared it: a fragment must not reach the fleet's services.
        var args = new List<string> { "build", "--progress", "plain", "--network", request.Network ? "host" : "none", "--platform", request.Platform,
            "--build-arg", "BUILDKIT_INLINE_CACHE=1", "--tag", request.Tag };
        foreach (var cache in request.CacheFrom) args.AddRange(["--cache-from", cache]);
        // The image id, so that tests run the very image built here even if the tag moves meanwhile.
        var idFile = Path.Combine(Path.GetTempPath(), $"factory-iid-{Guid.NewGuid():N}");
        // The context goes to the CLI as a tar on stdin (`docker build -`): nothing of it is written to disk here.
        args.AddRange(["--iidfile", idFile, "-"]);
        try
        {
            // The gate is held for the CLI call alone: the engine's part of the build ends when the CLI returns.
            ProcessResult result;
            string? gateLine;
            using (var pass = await EnterGateAsync(ct))
            {
                result = await ProcessRunner.RunAsync(options.DockerCli, args, _environment, TimeSpan.FromHours(2), ct, limits: options.OutputLimits,
                    input: request.Context.WriteTar);
                gateLine = pass?.LogLine();
            }
            var log = gateLine is not null ? gateLine + "\n" + result.Combined : result.Combined;
            if (result.ExitCode != 0)
            {
                // A failed build is the user's unless the engine or the registry let us down.
                await EnsureAvailableAsync(ct);
                if (RegistryFailure(result.Combined))
                    throw new InfrastructureException($"registry {options.Registry}", $"unreachable during the build: {Tail(result.Combined, 3).Trim()}");
                return new ImageBuildOutcome(false, log, result.Duration);
            }
            var id = File.Exists(idFile) ? (await File.ReadAllTextAsync(idFile, ct)).Trim() : "";
            if (!id.StartsWith("sha256:", StringComparison.Ordinal))
                throw new InfrastructureException(EngineService, $"the build of {request.Tag} succeeded but wrote no image id");
            return new ImageBuildOutcome(true, log, result.Duration, id);
        }
        finally
        {
            File.Delete(idFile);
        }
    }

    /// <summary>This host's build gate when the engine needs it (asked once per engine object), else null.</summary>
    private async Task<BuildGatePass?> EnterGateAsync(CancellationToken ct)
    {
        _gateNeeded ??= options.BuildGate != BuildGateMode.Auto
            ? EngineBuildGate.Needed(options.BuildGate, "")
            : EngineBuildGate.Needed(BuildGateMode.Auto, await _api.Value.VersionAsync(ct));
        return _gateNeeded.Value ? await _gate.EnterAsync(ct) : null;
    }

    public async Task<string> PushAsync(string tag, CancellationToken ct)
    {
        var result = await DockerAsync(["push", tag], ct, TimeSpan.FromMinutes(30));
        if (result.ExitCode != 0)
            throw new InfrastructureException($"registry {options.Registry}", $"push of {tag} failed: {Tail(result.Combined, 3).Trim()}");
        var match = PushedDigest().Match(result.Combined);
        if (!match.Success) throw new InfrastructureException($"registry {options.Registry}", $"push of {tag} reported no digest");
        return match.Groups[1].Value;
    }

    public async Task TagAsync(string source, string target, CancellationToken ct)
    {
        if (!ImageReference.TryParse(target, out var reference) || reference.Tag is null || reference.Digest is not null)
            throw new ArgumentException($"{target} is not a repository:tag to tag an image as", nameof(target));
        var repository = reference.Registry is null ? reference.Repository : $"{reference.Registry}/{reference.Repository}";
        await _api.Value.TagImageAsync(source, repository, reference.Tag, ct);
    }

    public async Task<long> ImageSizeAsync(string image, CancellationToken ct) => (await InspectImageAsync(image, ct)).Size;

    public async Task<int?> ImageLayerCountAsync(string image, CancellationToken ct) => (await InspectImageAsync(image, ct)).RootFS?.Layers?.Count;

    private async Task<Docker.DotNet.Models.ImageInspectResponse> InspectImageAsync(string image, CancellationToken ct) =>
        await _api.Value.InspectImageAsync(image, ct) ?? throw new InfrastructureException(EngineService, $"has no image {image} (it was built or pulled just before)");

    public async Task EnsureImageAsync(string image, string platform, CancellationToken ct)
    {
        if (await _api.Value.InspectImageAsync(image, ct) is not null) return;
        var pull = await DockerAsync(["pull", "--platform", platform, image], ct, TimeSpan.FromMinutes(30));
        if (pull.ExitCode != 0)
            throw new InfrastructureException($"registry {options.Registry}", $"pull of {image} failed: {Tail(pull.Combined, 3).Trim()}");
    }

    public async Task<ContainerRunOutcome> RunAsync(ContainerRunRequest request, CancellationToken ct)
    {
        var parameters = TestContainerParameters.Create(options, request.Name, request.Image, request.Platform, request.RequestGpu, entrypoint: null, [.. request.Command]);
        try
        {
            await _api.Value.CreateContainerAsync(parameters, ct);
            return await _api.Value.RunAsync(request.Name, request.Timeout, ct, request.Output);
        }
        finally
        {
            // Removed on exit already, unless it timed out, failed to start or the item was cancelled.
            await RemoveContainerAsync(request.Name, CancellationToken.None);
        }
    }

    public async Task<TestContainer?> StartTestContainerAsync(TestContainerRequest request, CancellationToken ct)
    {
        var seconds = ((long)Math.Ceiling(request.KeepAlive.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var parameters = TestContainerParameters.Create(options, request.Name, request.Image, request.Platform, request.RequestGpu, entrypoint: ["sleep"], [seconds]);
        await _api.Value.CreateContainerAsync(parameters, ct);
        var refused = await _api.Value.StartContainerAsync(request.Name, ct);
        if (refused is not null)
        {
            await RemoveContainerAsync(request.Name, CancellationToken.None);
            // Not found or not executable: sleep is not in the image (or cannot be run).
            if (ContainerStartFailure.ExitCode(refused) != ContainerStartFailure.EngineFailed) return null;
            throw new InfrastructureException(EngineService, $"could not start a test container from {request.Image}: {refused}");
        }
        var inspected = await _api.Value.InspectImageAsync(request.Image, ct) ?? throw new InfrastructureException(EngineService, $"has no image {request.Image} though a container of it started");
        return new TestContainer(request.Name, [.. inspected.Config?.Entrypoint ?? []]);
    }

    public async Task<ContainerRunOutcome> ExecAsync(TestContainer container, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct,
        TestOutputSpools? output = null)
    {
        var outcome = await _api.Value.ExecAsync(container.Name, [.. container.Entrypoint, .. command], timeout, ct, output);
        if (outcome.ContainerGone || outcome.TimedOut) return outcome;
        // docker run reports a command that is not in the image as 127, an exec as 126: a test sees the same code either way.
        return outcome.ExitCode == 126 && (outcome.Stdout + outcome.Stderr).Contains("executable file not found", StringComparison.Ordinal)
            ? outcome with { ExitCode = 127 }
            : outcome;
    }

    public Task RemoveContainerAsync(string name, CancellationToken ct) => _api.Value.RemoveContainerAsync(name, ct);

    public async Task<IReadOnlyDictionary<string, byte[]>> ReadFilesAsync(string image, string platform, IReadOnlyList<string> paths, CancellationToken ct)
    {
        var name = $"factory-read-{Guid.NewGuid():N}";
        // Created, never started: the command is never run, but an image without CMD needs one to be created.
        var parameters = TestContainerParameters.Create(options, name, image, platform, gpu: false, entrypoint: null, ["/factory-never-started"], autoRemove: false);
        try
        {
            await _api.Value.CreateContainerAsync(parameters, ct);
            return await ReadFilesFromAsync(name, paths, ct);
        }
        finally
        {
            await RemoveContainerAsync(name, CancellationToken.None);
        }
    }

    public Task<IReadOnlyDictionary<string, byte[]>> ReadContainerFilesAsync(string container, IReadOnlyList<string> paths, CancellationToken ct) =>
        ReadFilesFromAsync(container, paths, ct);

    /// <summary>Every path at once; a file reached by several paths (links) is copied out once.</summary>
    private async Task<IReadOnlyDictionary<string, byte[]>> ReadFilesFromAsync(string container, IReadOnlyList<string> paths, CancellationToken ct)
    {
        const int maxHops = 8;
        const long maxBytes = 256L * 1024 * 1024;
        var copies = new System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<(byte[]? Content, string? LinkTarget)?>>>(StringComparer.Ordinal);
        var read = await Task.WhenAll(paths.Distinct(StringComparer.Ordinal).Select(async Task<(string Path, byte[]? Content)> (requested) =>
        {
            var path = requested;
            for (var hop = 0; hop <= maxHops; hop++)
            {
                var entry = await copies.GetOrAdd(path, p => new Lazy<Task<(byte[]? Content, string? LinkTarget)?>>(() => CopyOutAsync(p))).Value;
                if (entry is null) break;
                if (entry.Value.Content is { } content) return (requested, content);
                if (entry.Value.LinkTarget is not { } target) break;
                path = ResolveLink(path, target);
            }
            return (requested, null);
        }));
        return read.Where(r => r.Content is not null).ToDictionary(r => r.Path, r => r.Content!, StringComparer.Ordinal);

        // One path: the tar `docker cp CONTAINER:PATH -` would write, holding that one entry. Null when there is nothing there.
        async Task<(byte[]? Content, string? LinkTarget)?> CopyOutAsync(string path)
        {
            if (await _api.Value.ArchiveAsync(container, path, maxBytes, ct) is not { } tar) return null;
            using var reader = new System.Formats.Tar.TarReader(new MemoryStream(tar));
            var entry = reader.GetNextEntry(copyData: true);
            return entry?.EntryType switch
            {
                System.Formats.Tar.TarEntryType.RegularFile or System.Formats.Tar.TarEntryType.V7RegularFile or System.Formats.Tar.TarEntryType.ContiguousFile
                    => (entry.DataStream is { } data ? ReadAll(data) : [], null),
                System.Formats.Tar.TarEntryType.SymbolicLink => (null, entry.LinkName),
                _ => null,
            };
        }

        static byte[] ReadAll(Stream data)
        {
            using var copy = new MemoryStream();
            data.CopyTo(copy);
            return copy.ToArray();
        }

        // A link target, relative to the link's directory unless absolute, as a normalized absolute path in the image.
        static string ResolveLink(string link, string target)
        {
            var parts = new List<string>();
            var start = target.StartsWith('/') ? target : link[..(link.LastIndexOf('/') + 1)] + target;
            foreach (var part in start.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == ".") continue;
                if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
                parts.Add(part);
            }
            return "/" + string.Join('/', parts);
        }
    }

    private async Task<ProcessResult> DockerAsync(IReadOnlyList<string> args, CancellationToken ct, TimeSpan timeout)
    {
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(options.DockerCli, args, _environment, timeout, ct);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InfrastructureException(EngineService, $"cannot run {options.DockerCli}: {ex.Message}", ex);
        }
        return result;
    }

    private bool RegistryFailure(string log) =>
        log.Contains(options.Registry, StringComparison.Ordinal) &&
        (log.Contains("connection refused", StringComparison.OrdinalIgnoreCase) || log.Contains("failed to do request", StringComparison.OrdinalIgnoreCase));

    internal static string Tail(string text, int lines)
    {
        var all = text.TrimEnd().Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public void Dispose()
    {
        if (_api.IsValueCreated) _api.Value.Dispose();
    }
}
