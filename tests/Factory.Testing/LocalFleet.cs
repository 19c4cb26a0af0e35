using System.Net;
using System.Net.Sockets;
using Factory.Executor.Engine;
using Npgsql;

namespace Factory.Testing;

/// <summary>
/// A whole fleet started with deploy/local/fleet.sh as an operator would, isolated for one test or bench run: its
/// own RabbitMQ virtual host, its own PostgreSQL database, a free port, and the state, run directory and manifest
/// store the caller names. Disposing stops the processes, deletes the vhost and drops the database.
/// </summary>
public sealed class LocalFleet : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment = new();
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(20);
    private readonly string _fleetSh = Path.Combine(RepoRoot.Path, "deploy/local/fleet.sh");
    private readonly ThrowawayDatabase _database;
    private bool _vhost, _processes;

    public string Name { get; }
    public string Manifests { get; }
    public string State { get; }
    public string RunDirectory { get; }
    /// <summary>The keyring that trusts the fleet's signing key (fleet.sh puts it there): for verify.</summary>
    public string Keyring => Path.Combine(State, "keyring");
    public string Url { get; } = $"http://127.0.0.1:{FreePort()}";
    public string VirtualHost => Name;
    public string ConnectionString => _database.ConnectionString;
    /// <summary>fleet.sh up's admin token (FACTORY_TOKEN_FILE), read once the fleet is up: what the operator would use.</summary>
    public string? Token { get; private set; }
    public string TokenFile => Path.Combine(State, "admin.token");
    /// <summary>FACTORY_TOKEN for a CLI run against this fleet.</summary>
    public IReadOnlyDictionary<string, string> CliEnvironment => Token is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["FACTORY_TOKEN"] = Token };

    public LocalFleet(string namePrefix, string manifests, string state, string runDirectory)
    {
        Name = namePrefix + Guid.NewGuid().ToString("N")[..10];
        _database = new ThrowawayDatabase(Name);
        (Manifests, State, RunDirectory) = (manifests, state, runDirectory);
    }

    /// <summary>Creates the vhost and database, then runs fleet.sh up; returns its result (the caller judges it).</summary>
    public async Task<ProcessResult> UpAsync(string pools, int executorsPerPool, IReadOnlyDictionary<string, string>? settings = null)
    {
        _vhost = true;
        await AddVhostAsync(Name);
        await _database.CreateAsync();
        Directory.CreateDirectory(State);
        _environment["FACTORY_STATE"] = State;
        _environment["FACTORY_RUN_DIR"] = RunDirectory;
        _environment["FACTORY_KEYRING"] = Keyring;
        _environment["Signing__Keyring"] = Keyring;
        _environment["FACTORY_MANIFEST_STORE"] = Manifests;
        _environment["FACTORY_CONTROL_PLANE_PORT"] = new Uri(Url).Port.ToString();
        _environment["FACTORY_TOKEN_FILE"] = TokenFile;
        _environment["FACTORY_POOLS"] = pools;
        _environment["FACTORY_EXECUTORS_PER_POOL"] = executorsPerPool.ToString();
        _environment["Bus__RabbitMq__VirtualHost"] = Name;
        _environment["ConnectionStrings__Factory"] = ConnectionString;
        _environment["Executor__HeartbeatInterval"] = "00:00:02";
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) _environment[k] = v;
        // The first fleet of a fresh clone publishes every service (ReadyToRun), which on a loaded 2-core machine can
        // take longer than starting a fleet ever should: the build has its own bound, so up's stays tight.
        var built = await ProcessRunner.RunAsync(_fleetSh, ["build"], _environment, BuildTimeout, workingDirectory: RepoRoot.Path);
        if (built.ExitCode != 0 || built.TimedOut)
            return built with { ExitCode = built.ExitCode == 0 ? -1 : built.ExitCode, Combined = built.Combined + (built.TimedOut ? $"\n(fleet.sh build timed out after {BuildTimeout})" : "") };
        _processes = true;
        var up = await ProcessRunner.RunAsync(_fleetSh, ["up"], _environment, TimeSpan.FromMinutes(5), workingDirectory: RepoRoot.Path);
        if (up.TimedOut) return up with { ExitCode = -1, Combined = up.Combined + "\n(fleet.sh up timed out after 5 minutes)" };
        if (up.ExitCode == 0 && !up.Stdout.Contains($"CONTROL_PLANE_URL={Url}"))
            return up with { ExitCode = -1, Combined = up.Combined + $"\n(fleet.sh did not print CONTROL_PLANE_URL={Url})" };
        if (up.ExitCode == 0) ReadToken();
        return up;
    }

    /// <summary>
    /// Runs fleet.sh up again with another number of executors per pool: what is missing or dead is started (a
    /// stopped results consumer too), what runs is left alone.
    /// </summary>
    public Task<ProcessResult> UpAgainAsync(int executorsPerPool)
    {
        _environment["FACTORY_EXECUTORS_PER_POOL"] = executorsPerPool.ToString();
        return ProcessRunner.RunAsync(_fleetSh, ["up"], _environment, TimeSpan.FromMinutes(5), workingDirectory: RepoRoot.Path);
    }

    private void ReadToken()
    {
        Token = File.ReadAllText(TokenFile).Trim();
        _environment["FACTORY_TOKEN"] = Token;
    }

    /// <summary>Sends the fleet's admin token with every request of this client.</summary>
    public void Authorize(HttpClient http) =>
        http.DefaultRequestHeaders.Authorization = Token is null ? null : new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);

    public int PidOf(string service) => int.Parse(File.ReadAllText(Path.Combine(RunDirectory, service + ".pid")).Trim());

    /// <summary>
    /// One more executor for the pool, with the fleet's settings plus these, started as the caller's own child (see
    /// <see cref="StartService"/>).
    /// </summary>
    public ServiceProcess StartExecutor(string name, string pool, IReadOnlyDictionary<string, string>? settings = null) =>
        StartService(name, "executor", ["--pool", pool, "--concurrency", "1", "--state", State, "--manifest-store", Manifests], settings);

    /// <summary>
    /// One more process of a service fleet.sh up built (executor, results-consumer, control-plane), with the fleet's
    /// settings plus these, started as the caller's own child so that the caller can signal it and read its exit code;
    /// its log is in the run directory with the others.
    /// </summary>
    public ServiceProcess StartService(string name, string service, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? settings = null)
    {
        var build = Path.Combine(RepoRoot.Path, ".build", service);
        // fleet.sh up reads the broker's credentials from up.sh's file itself; a process started here gets them as fleet.sh passes them.
        var environment = LocalCredentials.Current.WithBus(_environment);
        environment["ControlPlane__ManifestStore"] = Manifests;
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) environment[k] = v;
        return ServiceProcess.Start(name, Path.Combine(build, ServiceAssemblies[service]), ["--contentRoot", build, .. arguments],
            environment, RepoRoot.Path, Path.Combine(RunDirectory, name + ".log"));
    }

    private static readonly Dictionary<string, string> ServiceAssemblies = new()
    {
        ["executor"] = "Factory.Executor.Host.dll",
        ["results-consumer"] = "Factory.ResultsConsumer.Host.dll",
        ["control-plane"] = "Factory.ControlPlane.Api.dll",
    };

    public IReadOnlyList<string> Services() =>
        Directory.EnumerateFiles(RunDirectory, "*.pid").Select(f => Path.GetFileNameWithoutExtension(f)!).Order().ToList();

    /// <summary>The last lines of each service's log (stack frames left out), for failure messages.</summary>
    public string Logs(int lines = 25) => !Directory.Exists(RunDirectory) ? "" : string.Join("\n", Directory.EnumerateFiles(RunDirectory, "*.log").Order().Select(f =>
        $"--- {Path.GetFileName(f)} ---\n" + string.Join("\n", File.ReadLines(f).Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).TakeLast(lines))));

    /// <summary>A RabbitMQ virtual host of its own for a fleet, a test or a bench row, open to this install's AMQP user.</summary>
    public static async Task AddVhostAsync(string name)
    {
        await RabbitCtlAsync("add_vhost", name);
        await RabbitCtlAsync("set_permissions", "-p", name, LocalCredentials.Current.AmqpUser, ".*", ".*", ".*");
    }

    public static async Task RabbitCtlAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync("rabbitmqctl", args, null, TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0) throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)}: {result.Combined}");
    }

    /// <summary>Stops what was started, each step even when an earlier one failed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_processes) await Quietly(() => ProcessRunner.RunAsync(_fleetSh, ["down"], _environment, TimeSpan.FromMinutes(2), workingDirectory: RepoRoot.Path));
        if (_vhost) await Quietly(() => ProcessRunner.RunAsync("rabbitmqctl", ["delete_vhost", Name], null, TimeSpan.FromMinutes(1)));
        await Quietly(async () =>
        {
            await _database.DisposeAsync();
            return 0;
        });
    }

    public static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static async Task Quietly<T>(Func<Task<T>> step)
    {
        try { await step(); }
        catch (Exception ex) { Console.Error.WriteLine($"fleet teardown: {ex.Message}"); }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
