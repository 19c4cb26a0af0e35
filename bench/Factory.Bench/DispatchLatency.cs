using System.Text.Json;

namespace Factory.Bench;

/// <summary>
/// Submit → executor start. One-item plans are submitted one after another, each once the previous completed;
/// their deadline is in the past, so an executor starts the item and records it expired without building.
/// Server latency: the item's started_at (executor clock) − the plan's submitted_at (control plane clock).
/// Client latency: started_at − the moment the client began the POST (the same machine's clock).
/// The plans share one key, a light module version added to the fleet's manifest copy (so none of
/// core_smoke_matrix's keys is touched): an expired record is not a passing one and a build leaves flight when
/// its record lands, so every plan is dispatched again — unless the key was left in flight (see Result), after
/// which the plans move on to a new version.
/// </summary>
public static class DispatchLatency
{
    /// <summary>
    /// The dispatcher sends inside its transaction, and an expired item's result can land before that commits:
    /// Stuck counts items that stay queued although their record exists; LeakedKeys counts plans that attached to
    /// a build already finished (its key never left flight), which are submitted again on a new key.
    /// StartedFromRecord counts items without started_at (the result landed before the start notice), for which
    /// the record's start time stands in; RecordStartLag is how far that trails started_at where both exist.
    /// </summary>
    public sealed record Result(Latency Server, Latency Client, Latency PostResponse, int Warmup,
        int Stuck, int LeakedKeys, int StartedFromRecord, Latency? RecordStartLag);

    private const int Warmup = 2;

    public static async Task<Result> RunAsync(Fleet fleet, int samples, CancellationToken ct)
    {
        Shell.Log($"dispatch latency: {Warmup} + {samples} expired one-item plans");
        var keys = 0;
        var version = AddLightVersion(fleet, keys++);
        List<double> server = [], client = [], post = [], recordLag = [];
        int stuck = 0, leaked = 0, fromRecord = 0;
        for (var i = 0; i < Warmup + samples; i++)
        {
            var plan = $$"""
                id: bench_dispatch_{{i}}
                manifest: core_smoke
                matrix: {light: [{{version}}]}
                platforms: [{{fleet.Platforms[0]}}]
                deadline: 2020-01-01T00:00:00Z
                """;
            var postedAt = DateTimeOffset.UtcNow;
            var id = await fleet.SubmitAsync(plan, ct);
            var postMs = (DateTimeOffset.UtcNow - postedAt).TotalMilliseconds;
            var (completed, view) = await fleet.TryWaitAsync(id, v => Fleet.IsCompleted(v) || Kind(v) == "attached", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50), ct);
            if (Kind(view) == "attached")
            {
                (leaked, version, i) = (leaked + 1, AddLightVersion(fleet, keys++), i - 1);
                continue;
            }
            var item = view.GetProperty("items")[0];
            var record = item.GetProperty("build_id") is { ValueKind: JsonValueKind.String } build ? await fleet.TryGetAsync($"/api/records/{build.GetGuid()}", ct) : null;
            if (record?.GetProperty("status").GetString() != "expired" || Kind(view) != "build")
                throw new InvalidOperationException($"expected one item dispatched as a build and recorded expired, found:\n{view}\nrecord: {record}\n{fleet.Logs()}");
            if (!completed) (stuck, version) = (stuck + 1, AddLightVersion(fleet, keys++));

            var recordStarted = record.Value.GetProperty("timings").GetProperty("started_at").GetDateTimeOffset();
            var itemStarted = item.GetProperty("started_at") is { ValueKind: JsonValueKind.String } s ? s.GetDateTimeOffset() : (DateTimeOffset?)null;
            if (itemStarted is null) fromRecord++;
            else recordLag.Add((recordStarted - itemStarted.Value).TotalMilliseconds);
            if (i < Warmup) continue;
            var startedAt = itemStarted ?? recordStarted;
            server.Add((startedAt - view.GetProperty("submitted_at").GetDateTimeOffset()).TotalMilliseconds);
            client.Add((startedAt - postedAt).TotalMilliseconds);
            post.Add(postMs);
        }
        return new Result(Latency.Of(server), Latency.Of(client), Latency.Of(post), Warmup, stuck, leaked, fromRecord, recordLag.Count > 0 ? Latency.Of(recordLag) : null);
    }

    private static string? Kind(JsonElement plan) => plan.GetProperty("items")[0].GetProperty("dispatch_kind").GetString();

    /// <summary>Copies modules/light/1.0.0 in the fleet's manifest store as version 0.1.n (the control plane reads the store on each submit).</summary>
    private static string AddLightVersion(Fleet fleet, int n)
    {
        var version = $"0.1.{n}";
        var from = Path.Combine(fleet.Manifests, "modules/light/1.0.0");
        var to = Directory.CreateDirectory(Path.Combine(fleet.Manifests, "modules/light", version)).FullName;
        foreach (var file in Directory.EnumerateFiles(from))
            File.WriteAllText(Path.Combine(to, Path.GetFileName(file)), File.ReadAllText(file).Replace("1.0.0", version));
        return version;
    }
}
