using Factory.Executor.Drain;
using Factory.Executor.Engine;
using Factory.Messaging;

namespace Factory.Executor;

public sealed class ExecutorOptions
{
    /// <summary>Pools this executor serves; it consumes wq-&lt;pool&gt; for each.</summary>
    public List<string> Pools { get; set; } = ["amd64"];
    /// <summary>Work items handled at once per pool.</summary>
    public int Concurrency { get; set; } = 2;
    public string ManifestStore { get; set; } = "manifests";
    /// <summary>Holds work/ (a build context per delivery), locks/ (the builds running on this host) and, on the embedded default, evidence/.</summary>
    public string StateDirectory { get; set; } = ".factory";
    /// <summary>host:port of the registry that receives built images and serves the build cache.</summary>
    public string Registry { get; set; } = "127.0.0.1:5000";
    /// <summary>The Debian docker CLI (the newer one on PATH has no BuildKit builder here).</summary>
    public string DockerCli { get; set; } = "/usr/bin/docker";
    public string TestMemory { get; set; } = "512m";
    public int TestPidsLimit { get; set; } = 256;
    public int LogTailLines { get; set; } = 40;
    /// <summary>
    /// Of each test's stdout and stderr (and of a build's log), the bytes kept from the start and from the end; the middle
    /// is cut and a marker line says how many bytes. The stdout expectation is matched against what is kept.
    /// </summary>
    public int OutputHeadBytes { get; set; } = OutputLimits.Default.HeadBytes;
    public int OutputTailBytes { get; set; } = OutputLimits.Default.TailBytes;
    public OutputLimits OutputLimits => new(OutputHeadBytes, OutputTailBytes);
    /// <summary>
    /// Of each test's whole output (stdout and stderr together), the bytes streamed to disk and stored as its test_output
    /// evidence (gzip) when the head and tail above left some out; past it the rest is cut, its last OutputTailBytes kept,
    /// and a marker line says how many bytes were dropped.
    /// </summary>
    public long FullOutputMaxBytes { get; set; } = 256L * 1024 * 1024;
    public string Host { get; set; } = Environment.MachineName;
    /// <summary>Names this executor process in heartbeats and results.</summary>
    public string ExecutorId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";
    /// <summary>docker (default), or bench-instant: a bench-only engine that builds and tests nothing (see ExecutorEngines).</summary>
    public string Engine { get; set; } = ExecutorEngines.Docker;
    /// <summary>The engine's address for the docker CLI (DOCKER_HOST); empty means the CLI's default socket.</summary>
    public string? DockerHost { get; set; }
    /// <summary>Whether builds take this host's <see cref="EngineBuildGate"/>: Auto (on engines older than Docker 23), Always or Never.</summary>
    public BuildGateMode BuildGate { get; set; } = BuildGateMode.Auto;
    /// <summary>Where the build gate's lock file lives: a directory every process building on the engine sees (containers mount the host's).</summary>
    public string BuildGateDirectory { get; set; } = "/run/lock";
    /// <summary>
    /// Where to look for the QEMU binfmt handlers that let the engine run arm64 (or amd64) builds. A container has no
    /// binfmt_misc of its own and Docker refuses mounts inside /proc: compose mounts the host's elsewhere and sets this.
    /// </summary>
    public string BinfmtDirectory { get; set; } = PoolCapabilities.HostBinfmtDirectory;
    /// <summary>How often a busy executor beats: each beat renews the leases of the builds it runs (ControlPlane:Leases:Run spans several).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// How often an idle executor beats (see <see cref="HeartbeatCadence"/>): it has no lease to renew, only its liveness
    /// to show. ControlPlane:ExecutorTimeout (default 45 s) must span a few of these; never shorter than HeartbeatInterval.
    /// </summary>
    public TimeSpan IdleHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>The ECDSA P-256 signing key (PKCS#8 PEM); generated on first start. Default: &lt;state&gt;/keys/signing-key.pem.</summary>
    public string? SigningKeyFile { get; set; }
    public string SigningKeyPath => SigningKeyFile ?? Path.Combine(StateDirectory, "keys", "signing-key.pem");
    /// <summary>Build the stable layers of the manifest store into the pools' cache at start, before taking work (see Prewarm.Prewarmer).</summary>
    public bool Prewarm { get; set; }
    /// <summary>Retries of a work item whose infrastructure failed, before it is dead-lettered (Executor:Retry).</summary>
    public RetryOptions Retry { get; set; } = new();
    /// <summary>What SIGTERM gives the builds in progress (Executor:Drain).</summary>
    public DrainOptions Drain { get; set; } = new();
    /// <summary>Exit (code 0) after handling this many work items; 0: never. One Kubernetes Job per item sets 1.</summary>
    public int ExitAfterItems { get; set; }
    /// <summary>Exit (code 0) after this many seconds with no work item running or arriving; 0: never (a Job started for an item another executor took).</summary>
    public int ExitWhenIdleSeconds { get; set; }
}
