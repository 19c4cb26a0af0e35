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
    public string VirtualHost => _fleet.VirtualHost;
    public string ConnectionString => _fleet.ConnectionString;
    public IReadOnlyList<string> Platforms { get; private set; } = [];
    public HttpClient Http { get; }

    private Fleet()
    {
        Root = Path.Combine(Path.GetTempPath(), "factory_bench_" + Guid.NewGuid().ToString("N")[..10]);
        _fleet = new LocalFleet("factory_bench_", Path.Combine(Root, "manifests"), Path.Combine(Root, "state"), Path.Combine(Root, "run"));
        Http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Starts a fleet on a copy of manifests/ that <paramref name="prepare"/> may add to, with extra settings (environment).</summary>
    public static async Task<Fleet> StartAsync(string pools, int executorsPerPool, IReadOnlyDictionary<string, string> settings, Action<string> prepare,
        CancellationToken ct)
    {
        var fleet = new Fleet();
        try
        {
            Shell.Log($"fleet {fleet._fleet.Name}: pools {pools}, {executorsPerPool} executors per pool, {fleet.Url}; {string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}"))}");
            LocalFleet.CopyDirectory(RepoRoot.Manifests, fleet.Manifests);
            prepare(fleet.Manifests);
            var up = await fleet._fleet.UpAsync(pools, executorsPerPool, settings);
            if (up.ExitCode != 0) throw new InvalidOperationException($"fleet.sh up failed ({up.ExitCode}):\n{up.Combined}\n{fleet.Logs()}");
            fleet._fleet.Authorize(fleet.Http);
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

    /// <summary>
    /// Polls GET /api/plans/{id} (?items=false: counts only) until the condition holds; after the timeout, fails
    /// with the last view and what the fleet has in flight.
    /// </summary>
    public async Task<JsonElement> WaitAsync(Guid id, Func<JsonElement, bool> done, TimeSpan timeout, TimeSpan poll, CancellationToken ct, bool items = true)
    {
        var (plan, met) = await Poll.UntilAsync(() => GetAsync($"/api/plans/{id}{(items ? "" : "?items=false")}", ct), done, timeout, poll, ct);
        if (!met) throw new TimeoutException($"plan {id}: not done within {timeout}; last view:\n{plan}\nin flight: {await GetAsync("/api/builds", ct)}\n{Logs()}");
        return plan;
    }

    /// <summary>Builds still in flight (after every plan completed, a key left there would be a leak).</summary>
    public async Task<int> InFlightAsync(CancellationToken ct) => (await GetAsync("/api/builds", ct)).GetArrayLength();

    /// <summary>The process id of a service fleet.sh started (control-plane-1, results-consumer-1, simulator-2, ...).</summary>
    public int PidOf(string service) => _fleet.PidOf(service);

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
