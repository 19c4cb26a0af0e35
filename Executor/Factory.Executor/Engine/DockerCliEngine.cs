using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Factory.Contracts.Failures;

namespace Factory.Executor.Engine;

/// <summary>
/// The local Docker engine through the Debian docker CLI with BuildKit (DOCKER_BUILDKIT=1). Builds use
/// --network none unless a module declared build.network (then host, to reach package mirrors) and inline cache; test containers run with --network none. Execs and
/// file reads, made many times per item, go to the engine's API (<see cref="DockerEngineApi"/>) instead.
/// </summary>
public sealed partial class DockerCliEngine(ExecutorOptions options) : IContainerEngine
{
    private const string EngineService = "docker engine";
    private readonly Dictionary<string, string> _environment = Environment(options);
    private readonly Lazy<DockerEngineApi> _api = new(() => new DockerEngineApi(options.DockerHost, options.OutputLimits));

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

    public async Task<string> ServerArchitectureAsync(CancellationToken ct) =>
        (await DockerAsync(["version", "--format", "{{.Server.Arch}}"], ct)).Stdout.Trim();

    public async Task<ImageBuildOutcome> BuildAsync(ImageBuildRequest request, CancellationToken ct)
    {
        // No network for RUN steps unless a module declared it: a fragment must not reach the fleet's services.
        var args = new List<string> { "build", "--progress", "plain", "--network", request.Network ? "host" : "none", "--platform", request.Platform,
            "--build-arg", "BUILDKIT_INLINE_CACHE=1", "--tag", request.Tag };
        foreach (var cache in request.CacheFrom) args.AddRange(["--cache-from", cache]);
        // The image id, so that tests run the very image built here even if the tag moves meanwhile.
        var idFile = Path.Combine(Path.GetTempPath(), $"factory-iid-{Guid.NewGuid():N}");
        args.AddRange(["--iidfile", idFile, request.ContextDirectory]);
        try
        {
            var result = await ProcessRunner.RunAsync(options.DockerCli, args, _environment, TimeSpan.FromHours(2), ct, limits: options.OutputLimits);
            if (result.ExitCode != 0)
            {
                // A failed build is the user's unless the engine or the registry let us down.
                await EnsureAvailableAsync(ct);
                if (RegistryFailure(result.Combined))
                    throw new InfrastructureException($"registry {options.Registry}", $"unreachable during the build: {Tail(result.Combined, 3).Trim()}");
                return new ImageBuildOutcome(false, result.Combined, result.Duration);
            }
            var id = File.Exists(idFile) ? (await File.ReadAllTextAsync(idFile, ct)).Trim() : "";
            if (!id.StartsWith("sha256:", StringComparison.Ordinal))
                throw new InfrastructureException(EngineService, $"the build of {request.Tag} succeeded but wrote no image id");
            return new ImageBuildOutcome(true, result.Combined, result.Duration, id);
        }
        finally
        {
            File.Delete(idFile);
        }
    }

    public async Task<string> PushAsync(string tag, CancellationToken ct)
    {
        var result = await DockerAsync(["push", tag], ct, TimeSpan.FromMinutes(30), throwOnFailure: false);
        if (result.ExitCode != 0)
            throw new InfrastructureException($"registry {options.Registry}", $"push of {tag} failed: {Tail(result.Combined, 3).Trim()}");
        var match = PushedDigest().Match(result.Combined);
        if (!match.Success) throw new InfrastructureException($"registry {options.Registry}", $"push of {tag} reported no digest");
        return match.Groups[1].Value;
    }

    public async Task TagAsync(string source, string target, CancellationToken ct) =>
        await DockerAsync(["tag", source, target], ct);

    public async Task<long> ImageSizeAsync(string image, CancellationToken ct)
    {
        var result = await DockerAsync(["image", "inspect", "--format", "{{.Size}}", image], ct);
        return long.Parse(result.Stdout.Trim(), CultureInfo.InvariantCulture);
    }

    public async Task<int?> ImageLayerCountAsync(string image, CancellationToken ct)
    {
        var result = await DockerAsync(["image", "inspect", "--format", "{{len .RootFS.Layers}}", image], ct);
        return int.TryParse(result.Stdout.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var layers) ? layers : null;
    }

    public async Task EnsureImageAsync(string image, string platform, CancellationToken ct)
    {
        var inspect = await DockerAsync(["image", "inspect", "--format", "{{.Id}}", image], ct, throwOnFailure: false);
        if (inspect.ExitCode == 0) return;
        var pull = await DockerAsync(["pull", "--platform", platform, image], ct, TimeSpan.FromMinutes(30), throwOnFailure: false);
        if (pull.ExitCode != 0)
            throw new InfrastructureException($"registry {options.Registry}", $"pull of {image} failed: {Tail(pull.Combined, 3).Trim()}");
    }

    /// <summary>docker run as every test container is run: removed on exit, no network, the memory and pids limits.</summary>
    private List<string> TestRunArguments(string name, string platform, bool gpu)
    {
        var args = new List<string> { "run", "--rm", "--pull", "never", "--network", "none", "--platform", platform,
            "--memory", options.TestMemory, "--pids-limit", options.TestPidsLimit.ToString(CultureInfo.InvariantCulture), "--name", name };
        if (gpu) args.AddRange(["--gpus", "all"]);
        return args;
    }

    public async Task<ContainerRunOutcome> RunAsync(ContainerRunRequest request, CancellationToken ct)
    {
        var args = TestRunArguments(request.Name, request.Platform, request.RequestGpu);
        args.Add(request.Image);
        args.AddRange(request.Command);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(options.DockerCli, args, _environment, request.Timeout, ct, limits: options.OutputLimits, spools: request.Output);
        }
        finally
        {
            // The CLI being killed (timeout, cancellation) does not stop the container: remove it.
            await RemoveContainerAsync(request.Name, CancellationToken.None);
        }
        // 125: the docker CLI itself failed (engine, bad image); a test command cannot make the engine fail.
        if (result.ExitCode == 125 && !result.TimedOut)
        {
            await EnsureAvailableAsync(ct);
            throw new InfrastructureException(EngineService, $"could not start a test container from {request.Image}: {Tail(result.Stderr, 3).Trim()}");
        }
        return new ContainerRunOutcome(result.ExitCode, result.Stdout, result.Stderr, result.TimedOut, result.Duration);
    }

    public async Task<TestContainer?> StartTestContainerAsync(TestContainerRequest request, CancellationToken ct)
    {
        var args = TestRunArguments(request.Name, request.Platform, request.RequestGpu);
        args.InsertRange(1, ["--detach"]);
        args.AddRange(["--entrypoint", "sleep", request.Image, ((long)Math.Ceiling(request.KeepAlive.TotalSeconds)).ToString(CultureInfo.InvariantCulture)]);
        var entrypoint = DockerAsync(["image", "inspect", "--format", "{{json .Config.Entrypoint}}", request.Image], ct, throwOnFailure: false);
        var start = await DockerAsync(args, ct, TimeSpan.FromMinutes(2), throwOnFailure: false);
        var inspected = await entrypoint;
        // 126/127: sleep is not in the image (or cannot be run): the runtime refused to start it, and --rm removed it.
        if (start.ExitCode is 126 or 127) return null;
        if (start.ExitCode != 0 || inspected.ExitCode != 0)
        {
            await RemoveContainerAsync(request.Name, CancellationToken.None);
            await EnsureAvailableAsync(ct);
            throw new InfrastructureException(EngineService, $"could not start a test container from {request.Image}: {Tail(start.Combined + inspected.Combined, 3).Trim()}");
        }
        var words = System.Text.Json.JsonSerializer.Deserialize<string[]?>(inspected.Stdout.Trim()) ?? [];
        return new TestContainer(request.Name, words);
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

    public async Task RemoveContainerAsync(string name, CancellationToken ct) =>
        await DockerAsync(["rm", "--force", name], ct, TimeSpan.FromSeconds(30), throwOnFailure: false);

    public async Task<IReadOnlyDictionary<string, byte[]>> ReadFilesAsync(string image, string platform, IReadOnlyList<string> paths, CancellationToken ct)
    {
        var name = $"factory-read-{Guid.NewGuid():N}";
        // Created, never started: the command is never run, but an image without CMD needs one to be created.
        var create = await DockerAsync(["create", "--pull", "never", "--network", "none", "--platform", platform, "--name", name, image, "/factory-never-started"],
            ct, TimeSpan.FromMinutes(2), throwOnFailure: false);
        try
        {
            if (create.ExitCode != 0)
            {
                await EnsureAvailableAsync(ct);
                throw new InfrastructureException(EngineService, $"could not create a container from {image} to read its files: {Tail(create.Combined, 3).Trim()}");
            }
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

    private async Task<ProcessResult> DockerAsync(IReadOnlyList<string> args, CancellationToken ct, TimeSpan? timeout = null, bool throwOnFailure = true)
    {
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(options.DockerCli, args, _environment, timeout ?? TimeSpan.FromMinutes(2), ct);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InfrastructureException(EngineService, $"cannot run {options.DockerCli}: {ex.Message}", ex);
        }
        if (throwOnFailure && result.ExitCode != 0)
            throw new InfrastructureException(EngineService, $"docker {args[0]} failed: {Tail(result.Combined, 3).Trim()}");
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
}
