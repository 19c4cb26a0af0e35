using System.Text.Json;

namespace Factory.Bench;

/// <summary>
/// Client POST → executor start. One-item plans (bench_one, a version never dispatched before each, so nothing is
/// reused) are submitted one after another, each once the previous completed, on executors with the bench-only
/// instant engine (the engine plays no part before the start). Client latency: the item's started_at (executor
/// clock) − the moment the client began the POST (the same machine's clock). Server latency: started_at − the
/// plan's submitted_at (control plane clock).
/// </summary>
public static class DispatchLatency
{
    public sealed record Result(Latency Server, Latency Client, Latency PostResponse, int Warmup);

    private const int Warmup = 3;

    public static int VersionsNeeded(int samples) => Warmup + samples;

    public static async Task<Result> RunAsync(Fleet fleet, int samples, CancellationToken ct)
    {
        Shell.Log($"dispatch latency: {Warmup} + {samples} one-item plans");
        List<double> server = [], client = [], post = [];
        for (var i = 0; i < Warmup + samples; i++)
        {
            var postedAt = DateTimeOffset.UtcNow;
            var id = await fleet.SubmitAsync(BenchManifests.OnePlan($"bench_dispatch_{i}", i), ct);
            var postMs = (DateTimeOffset.UtcNow - postedAt).TotalMilliseconds;
            // The start notice and the record travel on different queues: wait for both.
            var view = await fleet.WaitAsync(id, v => Fleet.IsCompleted(v) && Item(v).GetProperty("started_at").ValueKind == JsonValueKind.String,
                TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10), ct);
            var item = Item(view);
            if (item.GetProperty("status").GetString() != "passed" || item.GetProperty("dispatch_kind").GetString() != "build")
                throw new InvalidOperationException($"expected one item built and passed, found:\n{view}\n{fleet.Logs()}");
            if (i < Warmup) continue;
            var startedAt = item.GetProperty("started_at").GetDateTimeOffset();
            server.Add((startedAt - view.GetProperty("submitted_at").GetDateTimeOffset()).TotalMilliseconds);
            client.Add((startedAt - postedAt).TotalMilliseconds);
            post.Add(postMs);
        }
        return new Result(Latency.Of(server), Latency.Of(client), Latency.Of(post), Warmup);
    }

    private static JsonElement Item(JsonElement view) => view.GetProperty("items")[0];
}
