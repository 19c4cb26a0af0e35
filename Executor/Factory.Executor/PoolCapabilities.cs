using Factory.Contracts.Failures;
using Factory.Executor.Engine;

namespace Factory.Executor;

/// <summary>Which pools this machine can serve: its engine's own architecture, arm64 through QEMU binfmt, gpu when an NVIDIA GPU is visible.</summary>
public static class PoolCapabilities
{
    /// <summary>Where the kernel lists binfmt handlers; a container sees the host's only where it is mounted (Executor:BinfmtDirectory).</summary>
    public const string HostBinfmtDirectory = "/proc/sys/fs/binfmt_misc";

    public static async Task<IReadOnlyList<string>> DetectAsync(IContainerEngine engine, CancellationToken ct, string binfmtDirectory = HostBinfmtDirectory)
    {
        bool QemuRegistered(string arch) => QemuRegisteredIn(binfmtDirectory, arch);
        var pools = new List<string>();
        var arch = await engine.ServerArchitectureAsync(ct);
        if (arch is "amd64" or "arm64") pools.Add(arch);
        if (!pools.Contains("arm64") && QemuRegistered("aarch64")) pools.Add("arm64");
        if (!pools.Contains("amd64") && QemuRegistered("x86_64")) pools.Add("amd64");
        if (pools.Contains("amd64") && await NvidiaGpuVisibleAsync(ct)) pools.Add("gpu");
        return pools;
    }

    /// <summary>Throws, naming the pool and what is missing, when asked to serve a pool this machine cannot.</summary>
    public static async Task<IReadOnlyList<string>> EnsureCanServeAsync(IContainerEngine engine, IReadOnlyList<string>? requested, CancellationToken ct,
        string binfmtDirectory = HostBinfmtDirectory)
    {
        var servable = await DetectAsync(engine, ct, binfmtDirectory);
        if (requested is null || requested.Count == 0) return servable;
        foreach (var pool in requested.Where(p => !servable.Contains(p)))
            throw new InfrastructureException($"executor pool {pool}", pool switch
            {
                "gpu" => "cannot be served here: no NVIDIA GPU is visible (nvidia-smi -L lists none)",
                "arm64" => $"cannot be served here: the engine is not arm64 and QEMU is not registered for aarch64 in {binfmtDirectory} (deploy/local/up.sh registers it; in a container, mount the host's {HostBinfmtDirectory} and set Executor:BinfmtDirectory)",
                "amd64" => $"cannot be served here: the engine is not amd64 and QEMU is not registered for x86_64 in {binfmtDirectory}",
                _ => $"is not a known pool (known: amd64, arm64, gpu)",
            });
        return requested;
    }

    private static bool QemuRegisteredIn(string binfmtDirectory, string arch)
    {
        var entry = Path.Combine(binfmtDirectory, $"qemu-{arch}");
        return File.Exists(entry) && File.ReadLines(entry).FirstOrDefault() == "enabled";
    }

    private static async Task<bool> NvidiaGpuVisibleAsync(CancellationToken ct)
    {
        try
        {
            var result = await ProcessRunner.RunAsync("nvidia-smi", ["-L"], timeout: TimeSpan.FromSeconds(20), ct: ct);
            return result.ExitCode == 0 && result.Stdout.Contains("GPU", StringComparison.Ordinal);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
