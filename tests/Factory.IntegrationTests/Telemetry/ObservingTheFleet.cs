using System.Text.Json;
using Factory.IntegrationTests.Infrastructure;
using Factory.ServiceDefaults;

namespace Factory.IntegrationTests.Telemetry;

/// <summary>
/// The fleet observed as an operator would: one trace per item across the control plane, the executor and the results
/// consumer (exported over OTLP); /metrics on every host, scraped by a real Prometheus that finds the executors through
/// the control plane; the health endpoints; GET /api/fleet and `factory fleet`.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ObservingTheFleet(ObservedFleet observed) : IClassFixture<ObservedFleet>
{
    private static readonly string[] Stages = ["render", "build", "push", "test", "sbom", "provenance", "evidence"];

    [Fact]
    public async Task An_item_s_trace_runs_from_its_acceptance_through_dispatch_and_the_executor_s_stages_to_its_record()
    {
        var build = observed.BuildId;
        bool Complete(IReadOnlyList<ReceivedSpan> spans) =>
            spans.FirstOrDefault(s => s.Name == "work_item" && s.Attributes.GetValueOrDefault("factory.build_id") == build) is { } item
            && spans.Any(s => s.TraceId == item.TraceId && s.Name == "record");
        var spans = await observed.Otlp.WaitForAsync(Complete, TimeSpan.FromSeconds(60));

        var workItem = spans.FirstOrDefault(s => s.Name == "work_item" && s.Attributes.GetValueOrDefault("factory.build_id") == build);
        Assert.True(workItem is not null, $"no work_item span for build {build} among {spans.Count} spans: {Names(spans)}");
        var trace = spans.Where(s => s.TraceId == workItem.TraceId).ToList();
        string Where(string service) => $"in trace {workItem.TraceId}: {Names(trace)}";

        Assert.Equal("factory-executor", workItem.Service);
        var root = Assert.Single(trace, s => s.ParentSpanId == "");
        Assert.Equal(("factory-control-plane", "accept_item"), (root.Service, root.Name));
        Assert.True(trace.Any(s => s.Service == "factory-control-plane" && s.Name == "dispatch" && s.Attributes.GetValueOrDefault("factory.build_id") == build),
            Where("control plane"));
        foreach (var stage in Stages)
            Assert.True(trace.Any(s => s.Service == "factory-executor" && s.Name == stage && s.ParentSpanId == workItem.SpanId), $"{stage} is not a child of work_item {Where("executor")}");
        Assert.True(trace.Any(s => s.Service == "factory-results-consumer" && s.Name == "record" && s.Attributes.GetValueOrDefault("factory.build_id") == build),
            Where("results consumer"));
        // Every span of the trace hangs off another of the same trace: the processes joined one tree.
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        Assert.All(trace.Where(s => s.ParentSpanId != ""), s => Assert.True(ids.Contains(s.ParentSpanId), $"{s.Service} {s.Name} has a parent outside the trace"));
    }

    [Fact]
    public async Task Prometheus_finds_every_host_through_the_control_plane_and_has_queue_depth_build_duration_and_sbom_time_for_the_plan()
    {
        await using var prometheus = await PrometheusServer.StartAsync(observed.Fleet.Url + "/api/fleet/targets");
        var timeout = TimeSpan.FromSeconds(60);

        var depth = await prometheus.WaitForSeriesAsync("factory_queue_messages{factory_queue=\"wq-amd64\"}", timeout);
        var builds = await prometheus.WaitForSeriesAsync("factory_build_duration_seconds_count{factory_pool=\"amd64\"} > 0", timeout);
        var sboms = await prometheus.WaitForSeriesAsync("factory_sbom_duration_seconds_count{factory_pool=\"amd64\"} > 0", timeout);
        // Each target's first scrape comes in its own moment of the interval, and a first /metrics on a loaded machine can
        // outlast the 1 s scrape timeout: wait for all three services to be up, not for the first.
        var up = await prometheus.WaitForSeriesAsync("count by (service) (up == 1)", timeout, atLeast: 3);

        var targets = await prometheus.TargetsAsync();
        Assert.True(depth.Count == 1, "queue depth: " + targets);
        Assert.Equal("factory-control-plane", depth[0].GetProperty("metric").GetProperty("service").GetString());
        Assert.True(builds.Count >= 1, "build duration: " + targets);
        Assert.True(sboms.Count >= 1, "sbom time: " + targets);
        Assert.All(builds.Concat(sboms), s => Assert.Equal("factory-executor", s.GetProperty("metric").GetProperty("service").GetString()));
        var upServices = up.Select(s => s.GetProperty("metric").GetProperty("service").GetString()).Order().ToList();
        Assert.True(new[] { "factory-control-plane", "factory-executor", "factory-results-consumer" }.SequenceEqual(upServices), $"up: {string.Join(", ", upServices)}; targets: {targets}");
    }

    [Fact]
    public async Task Every_host_answers_its_health_endpoints_and_serves_metrics_in_prometheus_text()
    {
        // A host is listed once an announcement of it reaches the control plane. fleet.sh starts the results consumer
        // right after the control plane, so its first announcement can come before the control plane's queue is bound
        // and be dropped; the next comes one announcer interval later. The plan may have ended before that.
        string[] services = ["factory-control-plane", "factory-executor", "factory-results-consumer"];
        var (hosts, _) = await Poll.UntilAsync(async () => JsonDocument.Parse(await observed.Fleet.Http.GetStringAsync("/api/fleet/targets")).RootElement
                .EnumerateArray().ToDictionary(t => t.GetProperty("labels").GetProperty("service").GetString()!, t => "http://" + t.GetProperty("targets")[0].GetString()),
            listed => services.All(listed.ContainsKey), 3 * MetricsEndpointAnnouncer.Interval, TimeSpan.FromMilliseconds(250));
        Assert.Equal(services, hosts.Keys.Order());

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var (service, url) in hosts)
        {
            Assert.True((await http.GetAsync(url + "/health/live")).IsSuccessStatusCode, $"{service} {url}/health/live");
            var ready = await http.GetAsync(url + "/health/ready");
            Assert.True(ready.IsSuccessStatusCode, $"{service} {url}/health/ready: {(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}");
            var metrics = await http.GetStringAsync(url + "/metrics");
            Assert.Contains("# TYPE ", metrics);
        }
        var executorMetrics = await http.GetStringAsync(hosts["factory-executor"] + "/metrics");
        Assert.Contains("factory_executor_slots{", executorMetrics);
        Assert.Contains("factory_build_cache_steps_total{", executorMetrics);
        Assert.Contains("factory_image_size_bytes_bucket{", executorMetrics);
        Assert.Contains("factory_image_layers_bucket{", executorMetrics);
        Assert.Contains("factory_executor_results_total{", executorMetrics);
        Assert.Contains("factory_records_written_total{", await http.GetStringAsync(hosts["factory-results-consumer"] + "/metrics"));
    }

    [Fact]
    public async Task The_fleet_view_shows_the_pool_s_queue_and_its_executor_through_the_api_and_the_cli()
    {
        // The plan is done; the executor's next heartbeat says it is idle.
        var (amd64, _) = await Poll.UntilAsync(async () => JsonDocument.Parse(await observed.Fleet.Http.GetStringAsync("/api/fleet")).RootElement
                .GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("pool").GetString() == "amd64"),
            pool => pool.GetProperty("idle_executors").GetInt32() == 1, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(500));
        Assert.Equal(0, amd64.GetProperty("queue_depth").GetInt64());
        Assert.Equal(0, amd64.GetProperty("dead_letters").GetInt64());
        Assert.True(amd64.GetProperty("throughput_per_minute").GetDouble() > 0, amd64.ToString());
        var executor = Assert.Single(amd64.GetProperty("executors").EnumerateArray().ToList());
        Assert.Equal("idle", executor.GetProperty("state").GetString());
        Assert.True(executor.GetProperty("seconds_since_heartbeat").GetDouble() < 20, executor.ToString());
        Assert.StartsWith("http://127.0.0.1:", executor.GetProperty("metrics_url").GetString());

        var cli = await observed.Fleet.CliAsync("fleet", "--json");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Equal(executor.GetProperty("executor_id").GetString(),
            cli.Json.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("pool").GetString() == "amd64").GetProperty("executors")[0].GetProperty("executor_id").GetString());
        var table = await observed.Fleet.CliAsync("fleet");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("amd64", table.Stdout);
        Assert.Contains("0 busy, 1 idle", table.Stdout);
    }

    private static string Names(IEnumerable<ReceivedSpan> spans) => string.Join(", ", spans.Select(s => $"{s.Service}:{s.Name}").Distinct());
}
