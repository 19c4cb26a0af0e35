using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Factory.Contracts.Failures;

namespace Factory.Executor.Engine;

/// <summary>
/// The local Docker engine through the Debian docker CLI with BuildKit (DOCKER_BUILDKIT=1). Builds use
/// --network host (to reach package mirrors) and inline cache; test containers run with --network none.
/// </summary>
public sealed partial class DockerCliEngine(ExecutorOptions options) : IContainerEngine
{
    private const string EngineService = "docker engine";
    private readonly Dictionary<string, string> _environment = Environment(options);

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
        var result = await DockerAsync(["version", "--format", "{{.Server.Version}}"], ct, TimeSpan.FromSeconds(20), throwOnFailure: false);
        if (result.ExitCode != 0)
            throw new InfrastructureException(EngineService, $"not reachable ({Tail(result.Combined, 3).Trim()}); start it with deploy/local/up.sh");
    }

    public async Task<string> ServerArchitectureAsync(CancellationToken ct) =>
        (await DockerAsync(["version", "--format", "{{.Server.Arch}}"], ct)).Stdout.Trim();

    public async Task<ImageBuildOutcome> BuildAsync(ImageBuildRequest request, CancellationToken ct)
    {
        var args = new List<string> { "build", "--progress", "plain", "--network", "host", "--platform", request.Platform,
            "--build-arg", "BUILDKIT_INLINE_CACHE=1", "--tag", request.Tag };
        foreach (var cache in request.CacheFrom) args.AddRange(["--cache-from", cache]);
        args.Add(request.ContextDirectory);
        var result = await ProcessRunner.RunAsync(options.DockerCli, args, _environment, TimeSpan.FromHours(2), ct);
        if (result.ExitCode != 0)
        {
            // A failed build is the user's unless the engine or the registry let us down.
            await EnsureAvailableAsync(ct);
            if (RegistryFailure(result.Combined))
                throw new InfrastructureException($"registry {options.Registry}", $"unreachable during the build: {Tail(result.Combined, 3).Trim()}");
        }
        return new ImageBuildOutcome(result.ExitCode == 0, result.Combined, result.Duration);
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

    public async Task EnsureImageAsync(string image, string platform, CancellationToken ct)
    {
        var inspect = await DockerAsync(["image", "inspect", "--format", "{{.Id}}", image], ct, throwOnFailure: false);
        if (inspect.ExitCode == 0) return;
        var pull = await DockerAsync(["pull", "--platform", platform, image], ct, TimeSpan.FromMinutes(30), throwOnFailure: false);
        if (pull.ExitCode != 0)
            throw new InfrastructureException($"registry {options.Registry}", $"pull of {image} failed: {Tail(pull.Combined, 3).Trim()}");
    }

    public async Task<ContainerRunOutcome> RunAsync(ContainerRunRequest request, CancellationToken ct)
    {
        var args = new List<string> { "run", "--rm", "--pull", "never", "--network", "none", "--platform", request.Platform,
            "--memory", options.TestMemory, "--pids-limit", options.TestPidsLimit.ToString(CultureInfo.InvariantCulture), "--name", request.Name };
        if (request.RequestGpu) args.AddRange(["--gpus", "all"]);
        args.Add(request.Image);
        args.AddRange(request.Command);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(options.DockerCli, args, _environment, request.Timeout, ct);
        }
        finally
        {
            // The CLI being killed (timeout, cancellation) does not stop the container: remove it.
            await DockerAsync(["rm", "--force", request.Name], CancellationToken.None, TimeSpan.FromSeconds(30), throwOnFailure: false);
        }
        // 125: the docker CLI itself failed (engine, bad image); a test command cannot make the engine fail.
        if (result.ExitCode == 125 && !result.TimedOut)
        {
            await EnsureAvailableAsync(ct);
            throw new InfrastructureException(EngineService, $"could not start a test container from {request.Image}: {Tail(result.Stderr, 3).Trim()}");
        }
        return new ContainerRunOutcome(result.ExitCode, result.Stdout, result.Stderr, result.TimedOut, result.Duration);
    }

    public async Task<IReadOnlyDictionary<string, byte[]>> ReadFilesAsync(string image, string platform, IReadOnlyList<string> paths, CancellationToken ct)
    {
        const int maxHops = 8;
        const long maxBytes = 256L * 1024 * 1024;
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
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var requested in paths)
            {
                var path = requested;
                for (var hop = 0; hop <= maxHops; hop++)
                {
                    var entry = await CopyOutAsync(path);
                    if (entry is null) break;
                    if (entry.Value.Content is { } content)
                    {
                        files[requested] = content;
                        break;
                    }
                    if (entry.Value.LinkTarget is not { } target) break;
                    path = ResolveLink(path, target);
                }
            }
            return files;
        }
        finally
        {
            await DockerAsync(["rm", "--force", name], CancellationToken.None, TimeSpan.FromSeconds(30), throwOnFailure: false);
        }

        // One path: `docker cp CONTAINER:PATH -` writes a tar holding that one entry. Null when there is nothing there.
        async Task<(byte[]? Content, string? LinkTarget)?> CopyOutAsync(string path)
        {
            var info = new System.Diagnostics.ProcessStartInfo(options.DockerCli)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            };
            foreach (var argument in (string[])["cp", $"{name}:{path}", "-"]) info.ArgumentList.Add(argument);
            foreach (var (key, value) in _environment) info.Environment[key] = value;
            using var process = new System.Diagnostics.Process { StartInfo = info };
            try { process.Start(); }
            catch (System.ComponentModel.Win32Exception ex) { throw new InfrastructureException(EngineService, $"cannot run {options.DockerCli}: {ex.Message}", ex); }
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            var tar = new MemoryStream();
            string stderr;
            try
            {
                var errors = process.StandardError.ReadToEndAsync(timeout.Token);
                var buffer = new byte[81920];
                int read;
                while ((read = await process.StandardOutput.BaseStream.ReadAsync(buffer, timeout.Token)) > 0)
                {
                    if (tar.Length + read > maxBytes)
                        throw new InvalidDataException($"{path} in {image} is larger than {maxBytes / (1024 * 1024)} MiB; not read");
                    tar.Write(buffer, 0, read);
                }
                stderr = await errors;
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new InfrastructureException(EngineService, $"docker cp of {path} from {image} timed out");
            }
            finally
            {
                if (!process.HasExited) try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            }
            if (process.ExitCode != 0)
            {
                if (stderr.Contains("No such container:path", StringComparison.Ordinal) || stderr.Contains("not a directory", StringComparison.Ordinal) ||
                    stderr.Contains("Could not find the file", StringComparison.Ordinal))
                    return null;
                await EnsureAvailableAsync(ct);
                throw new InfrastructureException(EngineService, $"docker cp of {path} from {image} failed: {Tail(stderr, 3).Trim()}");
            }
            tar.Position = 0;
            using var reader = new System.Formats.Tar.TarReader(tar);
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
