using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Factory.Testing;

namespace Factory.Bench;

/// <summary>
/// The bench's fleet: a LocalFleet (own vhost, database and port) on a temp directory holding the state, the run
/// directory and a copy of manifests/, with the HTTP calls the measurements make. Disposing removes it all.
/// </summary>
public sealed class Fleet : IAsyncDisposable
{
    private readonly LocalFleet _fleet;

    public string Root { get; }
    public string Manifests => _fleet.Manifests;
    public string Url => _fleet.Url;
    public IReadOnlyList<string> Platforms { get; private set; } = [];
    public HttpClient Http { get; }

    private Fleet()
    {
        Root = Path.Combine(Path.GetTempPath(), "factory_bench_" + Guid.NewGuid().ToString("N")[..10]);
        _fleet = new LocalFleet("factory_bench_", Path.Combine(Root, "manifests"), Path.Combine(Root, "state"), Path.Combine(Root, "run"));
        Http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<Fleet> StartAsync(string pools, int executorsPerPool, CancellationToken ct)
    {
        var fleet = new Fleet();
        try
        {
            Shell.Log($"fleet {fleet._fleet.Name}: pools {pools}, {executorsPerPool} executors per pool, {fleet.Url}");
            LocalFleet.CopyDirectory(RepoRoot.Manifests, fleet.Manifests);
            var up = await fleet._fleet.UpAsync(pools, executorsPerPool);
            if (up.ExitCode != 0) throw new InvalidOperationException($"fleet.sh up failed ({up.ExitCode}):\n{up.Combined}\n{fleet.Logs()}");
            fleet.Platforms = pools.Split(',').Select(p => "linux/" + p.Trim()).ToList();
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
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
    public string Logs() => _fleet.Logs(15);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _fleet.DisposeAsync();
        await Shell.Quietly("delete temp dir", () => Task.Run(() => { if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true); }));
        Shell.Log($"fleet {_fleet.Name}: stopped and removed");
    }
}
