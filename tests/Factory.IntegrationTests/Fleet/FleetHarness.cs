using System.Text.Json;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests.Fleet;

/// <summary>
/// A whole fleet for one test, started with deploy/local/fleet.sh as an operator would: its own RabbitMQ
/// virtual host, its own PostgreSQL database, its own port, state, run directory and manifest store copy.
/// </summary>
public sealed class FleetHarness : IAsyncDisposable
{
    private readonly LocalFleet _fleet;
    private readonly PlanWatch _plans;

    public ScratchStore Store { get; } = new();
    public string RunDirectory => _fleet.RunDirectory;
    public string Url => _fleet.Url;
    public string ConnectionString => _fleet.ConnectionString;
    public string VirtualHost => _fleet.VirtualHost;
    /// <summary>The admin token fleet.sh up created (tests that check access make their own with `factory tokens create`).</summary>
    public string? Token => _fleet.Token;
    public HttpClient Http { get; }

    public FleetHarness()
    {
        _fleet = new LocalFleet("factory_it_", Store.Manifests, Store.State, Path.Combine(Store.Root, "run"));
        Http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        _plans = new PlanWatch(Http, () => Task.FromResult(Logs()));
    }

    /// <summary>Starts the fleet: executorsPerPool executors for each pool in pools, plus control plane and results consumer.</summary>
    public async Task StartAsync(string pools = "amd64,arm64", int executorsPerPool = 2, IReadOnlyDictionary<string, string>? settings = null)
    {
        var up = await _fleet.UpAsync(pools, executorsPerPool, settings);
        Assert.True(up.ExitCode == 0, $"fleet.sh up failed:\n{up.Combined}\n{Logs()}");
        _fleet.Authorize(Http);
    }

    /// <summary>Starts what is missing (executors up to executorsPerPool, a stopped results consumer) on the running fleet.</summary>
    public async Task StartMoreAsync(int executorsPerPool)
    {
        var up = await _fleet.UpAgainAsync(executorsPerPool);
        Assert.True(up.ExitCode == 0, $"fleet.sh up failed:\n{up.Combined}\n{Logs()}");
    }

    public Task<CliResult> SubmitAsync(string plan, bool wait = true) =>
        FactoryCli.RunAsync(wait
            ? ["submit", plan, "--control-plane", Url, "--manifest-store", Store.Manifests, "--json", "--wait"]
            : ["submit", plan, "--control-plane", Url, "--manifest-store", Store.Manifests, "--json"], _fleet.CliEnvironment);

    public Task<CliResult> CliAsync(params string[] args) => FactoryCli.RunAsync([.. args, "--control-plane", Url], _fleet.CliEnvironment);

    public Task<JsonElement> PlanAsync(string id) => _plans.PlanAsync(id);

    /// <summary>Polls the plan until the condition holds (or fails the test after the timeout).</summary>
    public Task<JsonElement> WaitForPlanAsync(string id, Func<JsonElement, bool> condition, TimeSpan timeout, string what) =>
        _plans.WaitForAsync(id, condition, timeout, what);

    public Task<Dictionary<string, int>> RecordsPerKeyAsync() => RecordCounts.PerKeyAsync(ConnectionString);

    public int PidOf(string service) => _fleet.PidOf(service);

    /// <summary>An executor the test owns (it can SIGTERM it and read its exit code); dispose it before the fleet.</summary>
    public ServiceProcess StartExecutor(string name, string pool = "amd64", IReadOnlyDictionary<string, string>? settings = null) =>
        _fleet.StartExecutor(name, pool, settings);

    /// <summary>Another process of a service (results-consumer, control-plane) the test owns; dispose it before the fleet.</summary>
    public ServiceProcess StartService(string name, string service, params string[] arguments) => _fleet.StartService(name, service, arguments);

    public IReadOnlyList<string> Services() => _fleet.Services();

    public static bool IsAlive(int pid)
    {
        try { return !System.Diagnostics.Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }

    public string Logs() => _fleet.Logs();

    public static Task RabbitCtlAsync(params string[] args) => LocalFleet.RabbitCtlAsync(args);

    public async ValueTask DisposeAsync()
    {
        await _fleet.DisposeAsync();
        Http.Dispose();
        Store.Dispose();
    }
}
