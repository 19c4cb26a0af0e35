using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Factory.Executor.Engine;
using Factory.IntegrationTests.Infrastructure;
using Npgsql;

namespace Factory.IntegrationTests.Fleet;

/// <summary>
/// A whole fleet for one test, started with deploy/local/fleet.sh as an operator would: its own RabbitMQ
/// virtual host, its own PostgreSQL database, its own port, state, run directory and manifest store copy.
/// </summary>
public sealed class FleetHarness : IAsyncDisposable
{
    private const string Admin = "Host=127.0.0.1;Username=factory;Password=factory;Database=factory;Pooling=false";
    private readonly string _name = "factory_it_" + Guid.NewGuid().ToString("N")[..10];
    private readonly Dictionary<string, string> _environment = new();
    private bool _started;

    public ScratchStore Store { get; } = new();
    public string RunDirectory => Path.Combine(Store.Root, "run");
    public string Url { get; }
    public string ConnectionString => $"Host=127.0.0.1;Username=factory;Password=factory;Database={_name};Pooling=false";
    public string VirtualHost => _name;
    public HttpClient Http { get; }

    public FleetHarness()
    {
        Url = $"http://127.0.0.1:{FreePort()}";
        Http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Starts the fleet: executorsPerPool executors for each pool in pools, plus control plane and results consumer.</summary>
    public async Task StartAsync(string pools = "amd64,arm64", int executorsPerPool = 2, IReadOnlyDictionary<string, string>? settings = null)
    {
        await RabbitCtlAsync("add_vhost", _name);
        await RabbitCtlAsync("set_permissions", "-p", _name, "guest", ".*", ".*", ".*");
        await using (var admin = new NpgsqlConnection(Admin))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_name}\" OWNER factory", admin);
            await create.ExecuteNonQueryAsync();
        }
        _environment["FACTORY_STATE"] = Store.State;
        _environment["FACTORY_RUN_DIR"] = RunDirectory;
        _environment["FACTORY_MANIFEST_STORE"] = Store.Manifests;
        _environment["FACTORY_CONTROL_PLANE_PORT"] = new Uri(Url).Port.ToString();
        _environment["FACTORY_POOLS"] = pools;
        _environment["FACTORY_EXECUTORS_PER_POOL"] = executorsPerPool.ToString();
        _environment["Bus__RabbitMq__VirtualHost"] = _name;
        _environment["ConnectionStrings__Factory"] = ConnectionString.Replace(";Pooling=false", "");
        _environment["Executor__HeartbeatInterval"] = "00:00:02";
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) _environment[k] = v;
        _started = true;
        var up = await ProcessRunner.RunAsync(Path.Combine(RepoRoot.Path, "deploy/local/fleet.sh"), ["up"], _environment, TimeSpan.FromMinutes(5));
        Assert.True(up.ExitCode == 0, $"fleet.sh up failed:\n{up.Combined}\n{Logs()}");
        Assert.Contains($"CONTROL_PLANE_URL={Url}", up.Stdout);
    }

    public Task<CliResult> SubmitAsync(string plan, bool wait = true) =>
        FactoryCli.RunAsync(wait
            ? ["submit", plan, "--control-plane", Url, "--manifest-store", Store.Manifests, "--json", "--wait"]
            : ["submit", plan, "--control-plane", Url, "--manifest-store", Store.Manifests, "--json"]);

    public Task<CliResult> CliAsync(params string[] args) => FactoryCli.RunAsync([.. args, "--control-plane", Url]);

    public async Task<JsonElement> PlanAsync(string id) =>
        JsonDocument.Parse(await Http.GetStringAsync($"/api/plans/{id}")).RootElement.Clone();

    /// <summary>Polls the plan until the condition holds (or fails the test after the timeout).</summary>
    public async Task<JsonElement> WaitForPlanAsync(string id, Func<JsonElement, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement view = default;
        while (DateTime.UtcNow < deadline)
        {
            view = await PlanAsync(id);
            if (condition(view)) return view;
            await Task.Delay(250);
        }
        Assert.Fail($"timed out waiting for {what}; last view:\n{view}\n{Logs()}");
        return view;
    }

    public async Task<Dictionary<string, int>> RecordsPerKeyAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT idempotency_key, count(*) FROM records GROUP BY idempotency_key", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new Dictionary<string, int>();
        while (await reader.ReadAsync()) result[reader.GetString(0)] = (int)reader.GetInt64(1);
        return result;
    }

    public int PidOf(string service) => int.Parse(File.ReadAllText(Path.Combine(RunDirectory, service + ".pid")).Trim());

    public IReadOnlyList<string> Services() =>
        Directory.EnumerateFiles(RunDirectory, "*.pid").Select(f => Path.GetFileNameWithoutExtension(f)!).Order().ToList();

    public static bool IsAlive(int pid)
    {
        try { return !System.Diagnostics.Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }

    public string Logs()
    {
        if (!Directory.Exists(RunDirectory)) return "";
        return string.Join("\n", Directory.EnumerateFiles(RunDirectory, "*.log").Select(f =>
        {
            var lines = File.ReadAllLines(f).Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).ToList();
            return $"--- {Path.GetFileName(f)} ---\n" + string.Join("\n", lines.Skip(Math.Max(0, lines.Count - 25)));
        }));
    }

    public static async Task RabbitCtlAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync("rabbitmqctl", args, null, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, $"rabbitmqctl {string.Join(' ', args)}: {result.Combined}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await ProcessRunner.RunAsync(Path.Combine(RepoRoot.Path, "deploy/local/fleet.sh"), ["down"], _environment, TimeSpan.FromMinutes(2));
            await ProcessRunner.RunAsync("rabbitmqctl", ["delete_vhost", _name], null, TimeSpan.FromMinutes(1));
            try
            {
                await using var admin = new NpgsqlConnection(Admin);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException) { }
        }
        Http.Dispose();
        Store.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
