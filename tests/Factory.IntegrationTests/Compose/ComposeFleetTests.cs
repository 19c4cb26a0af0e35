using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Factory.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Factory.IntegrationTests.Compose;

/// <summary>The fleet as containers from deploy/images, run by deploy/compose on host networking, scaled as an operator scales a pool.</summary>
[Collection(DockerCollection.Name)]
public sealed class ComposeFleetTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(8);
    private const string Pool = "executor-amd64";

    private static List<JsonElement> Items(JsonElement view) => view.GetProperty("items").EnumerateArray().ToList();

    private static string Status(JsonElement item) => item.GetProperty("status").GetString()!;

    private static string? ExecutorOf(JsonElement item) =>
        item.TryGetProperty("executor_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>The container whose short id is in the executor's name (the image's entry point puts it there).</summary>
    private static string? ContainerOf(string? executorId, IEnumerable<string> containers) =>
        executorId is null ? null : containers.FirstOrDefault(c => executorId.Contains($"-{c[..12]}-", StringComparison.Ordinal));

    [Fact]
    public async Task A_pool_scaled_from_one_to_three_executors_and_back_mid_plan_completes_the_plan_with_one_record_per_key()
    {
        await ComposeFleet.BuildImagesAsync();
        // The CLI is built before the plan, not by the submit: a first ./factory leaves build-server processes holding
        // its output open for minutes, and the plan would run out before the submit returns and the pool is scaled.
        await FactoryCli.RunAsync("--help");
        await using var fleet = new ComposeFleet();
        const int count = 10;
        fleet.Store.AddSlowModules("9.8", count, seconds: 8);
        var versions = string.Join(", ", Enumerable.Range(0, count).Select(i => $"9.8.{i}"));
        fleet.Store.Write("plans/it_compose.yaml", $"id: it_compose\nmanifest: core_smoke\nmatrix: {{light: [{versions}]}}\nplatforms: [linux/amd64]\n");
        await fleet.UpAsync();
        var first = Assert.Single(await fleet.ContainersAsync(Pool)).Key;

        var submitted = await fleet.SubmitAsync("it_compose");
        Assert.True(submitted.ExitCode == 0, submitted + await fleet.LogsAsync());
        var id = submitted.Json.GetProperty("id").GetString()!;
        await fleet.Plans.WaitForAsync(id, v => Items(v).Any(i => Status(i) == "running"), Long, "the first item to start");

        await fleet.ScaleAsync(Pool, 3);
        var scaled = await fleet.ContainersAsync(Pool);
        Assert.Equal(3, scaled.Count);
        var added = scaled.Keys.Where(c => c != first).ToList();
        // Mid-plan: the added executors are building when the pool is scaled back.
        var busy = await fleet.Plans.WaitForAsync(id, v => Items(v).Any(i => Status(i) == "running" && ContainerOf(ExecutorOf(i), added) is not null),
            Long, "an added executor to take an item");
        var inFlight = Items(busy).Where(i => Status(i) == "running" && ContainerOf(ExecutorOf(i), added) is not null)
            .ToDictionary(i => i.GetProperty("idempotency_key").GetString()!, i => ExecutorOf(i)!);

        // Exit codes and logs of the executors scale-down will stop, followed from before they get SIGTERM.
        var exits = added.ToDictionary(c => c, c => Run("wait", c));
        var logs = added.ToDictionary(c => c, c => Run("logs", "--follow", "--timestamps", c));
        var stopping = Stopwatch.StartNew();
        await fleet.ScaleAsync(Pool, 1);
        output.WriteLine($"scale-down to 1 took {stopping.Elapsed.TotalSeconds:F0}s");
        Assert.Equal(first, Assert.Single(await fleet.ContainersAsync(Pool)).Key);

        var done = await fleet.Plans.WaitForAsync(id, v => v.GetProperty("status").GetString() == "completed", Long, "the plan to complete");
        foreach (var (container, log) in logs)
            output.WriteLine($"--- drained executor {container[..12]} (exit {(await exits[container]).Stdout.Trim()}) ---\n{Tail((await log).Combined, 25)}");
        var items = Items(done);
        Assert.Equal(count, items.Count);
        Assert.All(items, i => Assert.True(Status(i) == "passed", i.ToString()));
        // Nothing lost or doubled: one record for every key of the plan, and no other.
        var perKey = await RecordCounts.PerKeyAsync(fleet.ConnectionString);
        Assert.Equal(items.Select(i => i.GetProperty("idempotency_key").GetString()!).Order(), perKey.Keys.Order());
        Assert.All(perKey, p => Assert.True(p.Value == 1, $"{p.Value} records for {p.Key}"));
        // The scaled-up executors did work, and every item that was building on a drained one was either finished by it
        // during its grace, or handed back (its delivery returned to the queue) and built by the executor that stayed.
        // (An added executor taking an item is what shows the scale-up worked: inFlight is not empty. Whether it also
        // finishes one depends on the machine: under load a drained build can outlast its grace and be handed back, and
        // then every record names the executor that stayed, which a CI run showed.)
        Assert.NotEmpty(inFlight);
        output.WriteLine($"records made by {items.Select(ExecutorOf).Distinct().Count()} executors");
        foreach (var (key, drained) in inFlight)
        {
            var item = items.Single(i => i.GetProperty("idempotency_key").GetString() == key);
            var by = ContainerOf(ExecutorOf(item), scaled.Keys);
            var outcome = ExecutorOf(item) == drained ? "finished by the drained executor during its grace"
                : by == first ? "handed back and built by the executor that stayed" : "built elsewhere";
            output.WriteLine($"{key} (building on {drained} at scale-down): {outcome}, attempt {item.GetProperty("attempt")}");
            Assert.True(ExecutorOf(item) == drained || by == first, $"item {key}, building on {drained} when it was stopped, was built by {ExecutorOf(item)}:\n{item}");
        }
        // Stopped by SIGTERM and exited by itself within stop_grace_period (137 would mean compose killed it).
        foreach (var (container, exit) in exits)
        {
            var code = (await exit).Stdout.Trim();
            Assert.True(code == "0", $"drained executor {container[..12]} exited {code}:\n{Tail((await logs[container]).Combined, 40)}");
        }
    }

    private static Task<Factory.Executor.Engine.ProcessResult> Run(params string[] args) =>
        Factory.Executor.Engine.ProcessRunner.RunAsync(DockerCli.Program, args, null, TimeSpan.FromMinutes(10));

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
