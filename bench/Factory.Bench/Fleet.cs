using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Factory.Bench;

/// <summary>
/// A whole fleet started with deploy/local/fleet.sh as FleetHarness does: its own RabbitMQ virtual host, its
/// own PostgreSQL database, a free port, and a temp directory holding the state, the run directory and a copy
/// of manifests/. Disposing stops the processes, deletes the vhost, drops the database and the temp directory.
/// </summary>
public sealed class Fleet : IAsyncDisposable
{
    private const string Admin = "Host=127.0.0.1;Username=factory;Password=factory;Database=factory;Pooling=false";
    private readonly Dictionary<string, string> _environment = new();
    private readonly string _fleetSh = Path.Combine(Shell.RepoRoot, "deploy/local/fleet.sh");
    private bool _vhost, _database, _processes;

    public string Name { get; } = "factory_bench_" + Guid.NewGuid().ToString("N")[..10];
    public string Root { get; }
    public string Manifests => Path.Combine(Root, "manifests");
    public string RunDirectory => Path.Combine(Root, "run");
    public string Url { get; } = $"http://127.0.0.1:{FreePort()}";
    public IReadOnlyList<string> Platforms { get; private set; } = [];
    public HttpClient Http { get; }

    private Fleet()
    {
        Root = Path.Combine(Path.GetTempPath(), Name);
        Http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<Fleet> StartAsync(string pools, int executorsPerPool, CancellationToken ct)
    {
        var fleet = new Fleet();
        try
        {
            await fleet.UpAsync(pools, executorsPerPool, ct);
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    private async Task UpAsync(string pools, int executorsPerPool, CancellationToken ct)
    {
        Shell.Log($"fleet {Name}: pools {pools}, {executorsPerPool} executors per pool, {Url}");
        _vhost = true;
        await Shell.RabbitCtlAsync("add_vhost", Name);
        await Shell.RabbitCtlAsync("set_permissions", "-p", Name, "guest", ".*", ".*", ".*");
        await using (var admin = new NpgsqlConnection(Admin))
        {
            await admin.OpenAsync(ct);
            _database = true;
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\" OWNER factory", admin);
            await create.ExecuteNonQueryAsync(ct);
        }
        CopyDirectory(Path.Combine(Shell.RepoRoot, "manifests"), Manifests);
        Directory.CreateDirectory(Path.Combine(Root, "state"));

        _environment["FACTORY_STATE"] = Path.Combine(Root, "state");
        _environment["FACTORY_RUN_DIR"] = RunDirectory;
        _environment["FACTORY_MANIFEST_STORE"] = Manifests;
        _environment["FACTORY_CONTROL_PLANE_PORT"] = new Uri(Url).Port.ToString();
        _environment["FACTORY_POOLS"] = pools;
        _environment["FACTORY_EXECUTORS_PER_POOL"] = executorsPerPool.ToString();
        _environment["Bus__RabbitMq__VirtualHost"] = Name;
        _environment["ConnectionStrings__Factory"] = $"Host=127.0.0.1;Username=factory;Password=factory;Database={Name}";
        _environment["Executor__HeartbeatInterval"] = "00:00:02";
        _processes = true;
        var up = await Shell.RunAsync(_fleetSh, ["up"], _environment, TimeSpan.FromMinutes(5));
        if (up.ExitCode != 0 || !up.Stdout.Contains($"CONTROL_PLANE_URL={Url}"))
            throw new InvalidOperationException($"fleet.sh up failed ({up.ExitCode}):\n{up.Stdout}{up.Stderr}\n{Logs()}");
        Platforms = pools.Split(',').Select(p => "linux/" + p.Trim()).ToList();
    }

    /// <summary>POST /api/plans with the plan document; returns the submission id.</summary>
    public async Task<Guid> SubmitAsync(string planYaml, CancellationToken ct)
    {
        using var response = await Http.PostAsync("/api/plans", new StringContent(planYaml, Encoding.UTF8, "application/yaml"), ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /api/plans: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
    }

    public async Task<JsonElement> GetAsync(string path, CancellationToken ct) =>
        JsonDocument.Parse(await Http.GetStringAsync(path, ct)).RootElement.Clone();

    /// <summary>GET path, or null when it is 404.</summary>
    public async Task<JsonElement?> TryGetAsync(string path, CancellationToken ct)
    {
        using var response = await Http.GetAsync(path, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.Clone();
    }

    public static bool IsCompleted(JsonElement plan) => plan.GetProperty("status").GetString() == "completed";

    /// <summary>Polls GET /api/plans/{id} until its status is completed (or fails after the timeout, saying why).</summary>
    public async Task<JsonElement> WaitCompletedAsync(Guid id, TimeSpan timeout, TimeSpan poll, CancellationToken ct)
    {
        var (completed, plan) = await TryWaitAsync(id, IsCompleted, timeout, poll, ct);
        return completed ? plan : throw new TimeoutException($"plan {id} not completed within {timeout}; last view:\n{plan}\n{await StuckItemsAsync(plan, ct)}\n{Logs()}");
    }

    /// <summary>Polls GET /api/plans/{id} until the condition holds or the timeout passed; returns the last view.</summary>
    public async Task<(bool Done, JsonElement Plan)> TryWaitAsync(Guid id, Func<JsonElement, bool> done, TimeSpan timeout, TimeSpan poll, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var plan = await GetAsync($"/api/plans/{id}", ct);
            if (done(plan)) return (true, plan);
            if (DateTime.UtcNow > deadline) return (false, plan);
            await Task.Delay(poll, ct);
        }
    }

    /// <summary>For each unfinished item: whether its build has a record anyway (a result that did not reach the plan).</summary>
    private async Task<string> StuckItemsAsync(JsonElement plan, CancellationToken ct)
    {
        var lines = new List<string>();
        foreach (var item in plan.GetProperty("items").EnumerateArray())
            if (item.GetProperty("build_id") is { ValueKind: JsonValueKind.String } build && item.GetProperty("status").GetString() is "queued" or "running")
                lines.Add($"build {build.GetGuid()} ({item.GetProperty("status").GetString()}): " +
                    (await TryGetAsync($"/api/records/{build.GetGuid()}", ct) is { } record ? $"has a record: {record}" : "no record"));
        return string.Join("\n", lines);
    }

    /// <summary>The last lines of each service's log, for failure messages.</summary>
    public string Logs() => !Directory.Exists(RunDirectory) ? "" : string.Join("\n", Directory.EnumerateFiles(RunDirectory, "*.log").Order().Select(f =>
        $"--- {Path.GetFileName(f)} ---\n" + string.Join("\n", File.ReadLines(f).Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).TakeLast(15))));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_processes) await Shell.Quietly("fleet.sh down", () => Shell.RunAsync(_fleetSh, ["down"], _environment, TimeSpan.FromMinutes(2)));
        if (_vhost) await Shell.Quietly("delete_vhost", () => Shell.RabbitCtlAsync("delete_vhost", Name));
        if (_database)
            await Shell.Quietly("drop database", async () =>
            {
                await using var admin = new NpgsqlConnection(Admin);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            });
        await Shell.Quietly("delete temp dir", () => Task.Run(() => { if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true); }));
        Shell.Log($"fleet {Name}: stopped and removed");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
