using System.Text.Json;
using Factory.IntegrationTests.Fleet;

namespace Factory.IntegrationTests.Telemetry;

/// <summary>
/// One fleet (amd64, one executor) with its telemetry going to an in-test OTLP receiver, which has run a one-item plan
/// to the end: the tests of <see cref="ObservingTheFleet"/> read its traces, its metrics and its fleet view.
/// </summary>
public sealed class ObservedFleet : IAsyncLifetime
{
    public FleetHarness Fleet { get; } = new();
    public OtlpReceiver Otlp { get; } = new();
    /// <summary>`submit --wait --json`'s report of the plan.</summary>
    public JsonElement Plan { get; private set; }
    public string BuildId => Plan.GetProperty("items")[0].GetProperty("build_id").GetString()!;

    public async Task InitializeAsync()
    {
        Fleet.Store.Write("plans/it_observed.yaml", "id: it_observed\nmanifest: core_smoke\nplatforms: [linux/amd64]\n");
        await Fleet.StartAsync("amd64", executorsPerPool: 1, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Otlp.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "5000",
            ["ControlPlane__MetricsSampleInterval"] = "00:00:01",
        });
        var run = await Fleet.SubmitAsync("it_observed");
        Assert.True(run.ExitCode == 0, run + Fleet.Logs());
        Plan = run.Json.Clone();
    }

    public async Task DisposeAsync()
    {
        await Fleet.DisposeAsync();
        await Otlp.DisposeAsync();
    }
}
