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
