using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Factory.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace Factory.IntegrationTests.Fleet;

/// <summary>The fleet as separate processes over real RabbitMQ, PostgreSQL and the Docker engine, and what happens when parts of it fail.</summary>
[Collection(DockerCollection.Name)]
public sealed class DistributedFleetTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(6);

    /// <summary>Modules whose build takes a while and is never in a cache (a marker unique to this run).</summary>
    private static void AddSlowModules(ScratchStore store, string versionPrefix, int count, int seconds) => store.AddSlowModules(versionPrefix, count, seconds);

    private static string Versions(string prefix, int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => $"{prefix}.{i}"));

    private static List<JsonElement> Items(JsonElement view) => view.GetProperty("items").EnumerateArray().ToList();

    private static bool Completed(JsonElement view) => view.GetProperty("status").GetString() == "completed";

    [Fact]
    public async Task A_plan_of_eight_combinations_over_two_pools_with_two_executors_each_completes_with_one_record_per_key()
    {
        await using var fleet = new FleetHarness();
        fleet.Store.Write("plans/it_eight.yaml", "id: it_eight\nmanifest: core_smoke\nmatrix: {core: [1.0.0, 2.0.0], light: [1.0.0, 1.1.0]}\nplatforms: [linux/amd64, linux/arm64]\n");
        await fleet.StartAsync("amd64,arm64", executorsPerPool: 2);

        var run = await fleet.SubmitAsync("it_eight");

        Assert.True(run.ExitCode == 0, run + fleet.Logs());
        var items = run.Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(8, items.Count);
        Assert.All(items, i => Assert.Equal("passed", i.GetProperty("status").GetString()));
        var perKey = await fleet.RecordsPerKeyAsync();
        Assert.Equal(items.Select(i => i.GetProperty("idempotency_key").GetString()!).Order(), perKey.Keys.Order());
        Assert.All(perKey.Values, n => Assert.Equal(1, n));
        Assert.Equal(4, fleet.Services().Count(s => s.StartsWith("executor-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_executor_killed_in_the_middle_of_a_build_has_its_item_completed_by_another_with_no_record_lost_or_doubled()
    {
        await using var fleet = new FleetHarness();
        AddSlowModules(fleet.Store, "9.3", 1, seconds: 12);
        fleet.Store.Write("plans/it_kill.yaml", $"id: it_kill\nmanifest: core_smoke\nmatrix: {{light: [{Versions("9.3", 1)}]}}\nplatforms: [linux/amd64]\n");
        await fleet.StartAsync("amd64", executorsPerPool: 2);

        var submitted = await fleet.SubmitAsync("it_kill", wait: false);
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        var id = submitted.Json.GetProperty("id").GetString()!;
        var running = await fleet.WaitForPlanAsync(id, v => Items(v)[0].GetProperty("status").GetString() == "running", Long, "the item to start");
        var firstExecutor = Items(running)[0].GetProperty("executor_id").GetString()!;
        var victim = int.Parse(firstExecutor[(firstExecutor.LastIndexOf('-') + 1)..]);
        await Task.Delay(TimeSpan.FromSeconds(3)); // well into the build
        Process.GetProcessById(victim).Kill();

        var done = await fleet.WaitForPlanAsync(id, Completed, Long, "the plan to complete on the other executor");
        var item = Items(done)[0];
        Assert.Equal("passed", item.GetProperty("status").GetString());
        Assert.NotEqual(firstExecutor, item.GetProperty("executor_id").GetString());
        Assert.False(FleetHarness.IsAlive(victim));
        var perKey = await fleet.RecordsPerKeyAsync();
        Assert.Equal(1, perKey[item.GetProperty("idempotency_key").GetString()!]);
        Assert.Single(perKey);
    }

    [Fact]
    public async Task The_broker_restarted_in_the_middle_of_a_plan_loses_nothing_and_every_service_reconnects()
    {
        await using var fleet = new FleetHarness();
        AddSlowModules(fleet.Store, "9.4", 3, seconds: 4);
        fleet.Store.Write("plans/it_broker.yaml", $"id: it_broker\nmanifest: core_smoke\nmatrix: {{light: [{Versions("9.4", 3)}]}}\nplatforms: [linux/amd64, linux/arm64]\n");
        await fleet.StartAsync("amd64,arm64", executorsPerPool: 1);
        var submitted = await fleet.SubmitAsync("it_broker", wait: false);
        var id = submitted.Json.GetProperty("id").GetString()!;
        await fleet.WaitForPlanAsync(id, v => Items(v).Any(i => i.GetProperty("status").GetString() == "running"), Long, "an item to start");

        await FleetHarness.RabbitCtlAsync("stop_app");
        await Task.Delay(TimeSpan.FromSeconds(5));
        await FleetHarness.RabbitCtlAsync("start_app");

        var done = await fleet.WaitForPlanAsync(id, Completed, Long, "the plan to complete after the broker restart");
        Assert.All(Items(done), i => Assert.Equal("passed", i.GetProperty("status").GetString()));
        var perKey = await fleet.RecordsPerKeyAsync();
        Assert.Equal(6, perKey.Count);
        Assert.All(perKey.Values, n => Assert.Equal(1, n));
        Assert.All(fleet.Services(), s => Assert.True(FleetHarness.IsAlive(fleet.PidOf(s)), $"{s} died\n{fleet.Logs()}"));
    }

    [Fact]
    public async Task The_same_plan_submitted_twice_at_once_builds_each_key_once_and_both_plans_see_the_results()
    {
        await using var fleet = new FleetHarness();
        AddSlowModules(fleet.Store, "9.5", 3, seconds: 2);
        fleet.Store.Write("plans/it_twice.yaml", $"id: it_twice\nmanifest: core_smoke\nmatrix: {{light: [{Versions("9.5", 3)}]}}\nplatforms: [linux/amd64]\n");
        await fleet.StartAsync("amd64", executorsPerPool: 2);

        var runs = await Task.WhenAll(fleet.SubmitAsync("it_twice"), fleet.SubmitAsync("it_twice"));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r + fleet.Logs()));
        Assert.All(runs, r => Assert.All(r.Json.GetProperty("items").EnumerateArray(), i => Assert.Contains(i.GetProperty("status").GetString(), new[] { "passed", "reused" })));
        var perKey = await fleet.RecordsPerKeyAsync();
        Assert.Equal(3, perKey.Count);
        Assert.All(perKey.Values, n => Assert.Equal(1, n));
        Assert.Equal(3, runs.Sum(r => r.Json.GetProperty("summary").GetProperty("built").GetInt32()));
    }

    [Fact]
    public async Task An_item_whose_engine_is_down_is_retried_then_dead_lettered_with_its_error_file_and_completes_when_replayed()
    {
        await using var engine = new UnixSocketProxy();
        engine.Start();
        await using var fleet = new FleetHarness();
        fleet.Store.Write("plans/it_engine.yaml", "id: it_engine\nmanifest: core_smoke\nmatrix: {light: [1.0.0]}\nplatforms: [linux/amd64]\n");
        await fleet.StartAsync("amd64", executorsPerPool: 1, new Dictionary<string, string>
        {
            ["Executor__DockerHost"] = $"unix://{engine.Path}",
            ["Executor__Retry__Limit"] = "2",
            ["Executor__Retry__MinInterval"] = "00:00:00.500",
            ["Executor__Retry__MaxInterval"] = "00:00:02",
            ["Executor__Retry__IntervalDelta"] = "00:00:00.500",
        });
        engine.Stop();

        var run = await fleet.SubmitAsync("it_engine");

        Assert.True(run.ExitCode == 2, run + fleet.Logs());
        Assert.Equal(1, run.Json.GetProperty("summary").GetProperty("dead_lettered").GetInt32());
        var id = (await fleet.Http.GetFromJsonArray("/api/plans"))[0].GetProperty("id").GetString()!;
        var item = Items(await fleet.PlanAsync(id))[0];
        Assert.Equal("dead_lettered", item.GetProperty("status").GetString());
        var errorFile = item.GetProperty("error").GetProperty("error_file");
        Assert.Equal("error", errorFile.GetProperty("kind").GetString());
        Assert.Equal($"error-{item.GetProperty("build_id").GetString()}.json", errorFile.GetProperty("name").GetString());
        var hex = errorFile.GetProperty("uri").GetString()!["local:sha256/".Length..];
        using (var error = JsonDocument.Parse(File.ReadAllText(Path.Combine(fleet.Store.State, "evidence", "sha256", hex[..2], hex))))
        {
            Assert.Equal("infrastructure", error.RootElement.GetProperty("classification").GetString());
            Assert.Equal("docker engine", error.RootElement.GetProperty("service").GetString());
            Assert.Equal(3, error.RootElement.GetProperty("attempts").GetInt32());
        }
        var listed = await fleet.CliAsync("dlq", "list", "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        var letter = Assert.Single(listed.Json.EnumerateArray());
        Assert.Equal(item.GetProperty("build_id").GetString(), letter.GetProperty("build_id").GetString());
        Assert.Contains("docker engine", letter.GetProperty("reason").GetString());

        engine.Start();
        var replay = await fleet.CliAsync("dlq", "replay", "--all");
        Assert.True(replay.ExitCode == 0, replay.ToString());
        var done = await fleet.WaitForPlanAsync(id, v => Items(v)[0].GetProperty("status").GetString() == "passed", Long, "the replayed item to pass");
        Assert.Equal(1, (await fleet.RecordsPerKeyAsync())[Items(done)[0].GetProperty("idempotency_key").GetString()!]);
        Assert.Equal(0, (await fleet.CliAsync("dlq", "list", "--json")).Json.GetArrayLength());
    }

    [Fact]
    public async Task A_priority_9_plan_submitted_behind_a_long_priority_0_plan_starts_before_the_rest_of_it()
    {
        await using var fleet = new FleetHarness();
        AddSlowModules(fleet.Store, "9.6", 5, seconds: 2);
        AddSlowModules(fleet.Store, "9.7", 2, seconds: 1);
        fleet.Store.Write("plans/it_low.yaml", $"id: it_low\nmanifest: core_smoke\nmatrix: {{light: [{Versions("9.6", 5)}]}}\nplatforms: [linux/amd64]\npriority: 0\n");
        fleet.Store.Write("plans/it_high.yaml", $"id: it_high\nmanifest: core_smoke\nmatrix: {{light: [{Versions("9.7", 2)}]}}\nplatforms: [linux/amd64]\npriority: 9\n");
        await fleet.StartAsync("amd64", executorsPerPool: 1);

        var low = (await fleet.SubmitAsync("it_low", wait: false)).Json.GetProperty("id").GetString()!;
        await fleet.WaitForPlanAsync(low, v => Items(v).Any(i => i.GetProperty("status").GetString() == "running"), Long, "the low-priority plan to start");
        var high = (await fleet.SubmitAsync("it_high", wait: false)).Json.GetProperty("id").GetString()!;
        var highDone = await fleet.WaitForPlanAsync(high, Completed, Long, "the high-priority plan");
        var lowDone = await fleet.WaitForPlanAsync(low, Completed, Long, "the low-priority plan");

        DateTimeOffset Start(JsonElement i) => i.GetProperty("started_at").GetDateTimeOffset();
        var lastHighStart = Items(highDone).Max(Start);
        var lowStartedAfter = Items(lowDone).Count(i => Start(i) > lastHighStart);
        Assert.True(lowStartedAfter >= 3, $"only {lowStartedAfter} of 5 priority-0 items started after the priority-9 plan's items\n{lowDone}\n{highDone}");
    }

    [Fact]
    public async Task A_plan_with_a_concurrency_budget_of_one_never_has_two_items_in_flight_even_with_idle_executors()
    {
        await using var fleet = new FleetHarness();
        AddSlowModules(fleet.Store, "9.9", 3, seconds: 2);
        fleet.Store.Write("plans/it_budget.yaml", $"id: it_budget\nmanifest: core_smoke\nmatrix: {{light: [{Versions("9.9", 3)}]}}\nplatforms: [linux/amd64]\nconcurrency: 1\n");
        await fleet.StartAsync("amd64", executorsPerPool: 2);

        var id = (await fleet.SubmitAsync("it_budget", wait: false)).Json.GetProperty("id").GetString()!;
        var done = await fleet.WaitForPlanAsync(id, Completed, Long, "the budgeted plan");

        var spans = Items(done)
            .Select(i => (Start: i.GetProperty("started_at").GetDateTimeOffset(), End: i.GetProperty("finished_at").GetDateTimeOffset()))
            .OrderBy(s => s.Start).ToList();
        Assert.All(Items(done), i => Assert.Equal("passed", i.GetProperty("status").GetString()));
        for (var n = 1; n < spans.Count; n++)
            Assert.True(spans[n].Start >= spans[n - 1].End, $"item {n} started at {spans[n].Start:O} before item {n - 1} finished at {spans[n - 1].End:O}");
    }

    [Fact]
    public async Task A_plan_whose_deadline_has_passed_builds_nothing_and_records_expired()
    {
        await using var fleet = new FleetHarness();
        fleet.Store.Write("plans/it_late.yaml", "id: it_late\nmanifest: core_smoke\nmatrix: {light: [1.0.0, 1.1.0]}\nplatforms: [linux/amd64]\ndeadline: 2020-01-01T00:00:00Z\n");
        await fleet.StartAsync("amd64", executorsPerPool: 1);

        var run = await fleet.SubmitAsync("it_late");

        Assert.True(run.ExitCode == 1, run + fleet.Logs());
        var summary = run.Json.GetProperty("summary");
        Assert.Equal(2, summary.GetProperty("expired").GetInt32());
        Assert.Equal(0, summary.GetProperty("built").GetInt32());
        Assert.All(run.Json.GetProperty("items").EnumerateArray(), i =>
        {
            Assert.Equal("expired", i.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, i.GetProperty("image").ValueKind);
        });
        var records = JsonDocument.Parse(await fleet.Http.GetStringAsync("/api/records?status=expired")).RootElement;
        Assert.Equal(2, records.GetArrayLength());
    }

    [Fact]
    public async Task Malformed_messages_on_a_work_queue_go_to_the_error_queue_with_a_reason_and_the_executor_carries_on()
    {
        await using var fleet = new FleetHarness();
        fleet.Store.Write("plans/it_after.yaml", "id: it_after\nmanifest: core_smoke\nmatrix: {light: [1.0.0]}\nplatforms: [linux/amd64]\n");
        await fleet.StartAsync("amd64", executorsPerPool: 1);
        var executor = fleet.PidOf("executor-amd64-1");

        var factory = new ConnectionFactory { HostName = "127.0.0.1", VirtualHost = fleet.VirtualHost, UserName = LocalCredentials.Current.AmqpUser, Password = LocalCredentials.Current.AmqpPassword };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true)))
        {
            async Task Publish(string body, string id) => await channel.BasicPublishAsync("wq-amd64", "", true,
                new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = id, Persistent = true }, Encoding.UTF8.GetBytes(body));
            await Publish("this is not JSON {", Guid.NewGuid().ToString());
            await Publish(Envelope("urn:message:Factory.Contracts.Messages:SomethingElse", "{\"hello\": 1}"), Guid.NewGuid().ToString());
            await Publish(Envelope("urn:message:Factory.Contracts.Messages:ExecuteWorkItem", $"{{\"schemaVersion\": 99, \"buildId\": \"{Guid.NewGuid()}\"}}"), Guid.NewGuid().ToString());
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        JsonElement letters;
        do
        {
            await Task.Delay(500);
            letters = (await fleet.CliAsync("dlq", "list", "--json")).Json;
        } while (letters.GetArrayLength() < 3 && DateTime.UtcNow < deadline);
        var reasons = letters.EnumerateArray().Select(l => l.GetProperty("reason").GetString() ?? "").ToList();
        Assert.True(reasons.Count == 3, string.Join("\n", reasons) + fleet.Logs());
        Assert.Contains(reasons, r => r.Contains("schema version 99 is not supported"));
        Assert.Contains(reasons, r => r.Contains("not a work item: nothing on wq-amd64 consumes message type urn:message:Factory.Contracts.Messages:SomethingElse"));
        Assert.Contains(reasons, r => r.Contains("is an invalid JSON literal"));
        Assert.All(reasons, r => Assert.False(string.IsNullOrWhiteSpace(r)));

        Assert.True(FleetHarness.IsAlive(executor), fleet.Logs());
        var after = await fleet.SubmitAsync("it_after");
        Assert.True(after.ExitCode == 0, after + fleet.Logs());
    }

    /// <summary>A message as MassTransit puts it on the wire, for publishing with RabbitMQ.Client directly.</summary>
    internal static string Envelope(string messageType, string message) =>
        $"{{\"messageId\": \"{Guid.NewGuid()}\", \"messageType\": [\"{messageType}\"], \"message\": {message}, \"headers\": {{}}}}";
}
