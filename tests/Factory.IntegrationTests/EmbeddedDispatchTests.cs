using System.Text.Json;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests;

/// <summary>`./factory run` composes the same dispatch core as the fleet: budgets, deadlines and dedupe hold on the embedded default.</summary>
[Collection(DockerCollection.Name)]
public sealed class EmbeddedDispatchTests : IDisposable
{
    private readonly ScratchStore _store = new();

    public void Dispose() => _store.Dispose();

    /// <summary>Three light versions whose builds take a few seconds and are in no cache (a marker unique to this run).</summary>
    private string SlowVersions(string prefix)
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        for (var i = 0; i < 3; i++)
            _store.AddModule("light", $"{prefix}.{i}", $"RUN echo \"light {prefix}.{i} {marker}\" > /etc/factory/light && sleep 3\n");
        return string.Join(", ", Enumerable.Range(0, 3).Select(i => $"{prefix}.{i}"));
    }

    /// <summary>Each item's span in its record (timings.started_at → finished_at), in start order.</summary>
    private async Task<List<(DateTimeOffset Start, DateTimeOffset End)>> SpansAsync(CliResult run)
    {
        var spans = new List<(DateTimeOffset, DateTimeOffset)>();
        foreach (var item in run.Json.GetProperty("items").EnumerateArray())
        {
            var timings = (await CliRecords.ShowAsync(_store, item.GetProperty("build_id").GetString()!)).GetProperty("timings");
            spans.Add((timings.GetProperty("started_at").GetDateTimeOffset(), timings.GetProperty("finished_at").GetDateTimeOffset()));
        }
        return spans.OrderBy(s => s.Item1).ToList();
    }

    private static bool Overlap(List<(DateTimeOffset Start, DateTimeOffset End)> spans) =>
        spans.Zip(spans.Skip(1)).Any(p => p.Second.Start < p.First.End);

    [Fact]
    public async Task A_plan_with_a_concurrency_budget_of_one_never_builds_two_items_at_once_while_an_unbudgeted_one_does()
    {
        _store.Write("plans/it_open.yaml", $"id: it_open\nmanifest: core_smoke\nmatrix: {{light: [{SlowVersions("9.1")}]}}\nplatforms: [linux/amd64]\n");
        _store.Write("plans/it_one.yaml", $"id: it_one\nmanifest: core_smoke\nmatrix: {{light: [{SlowVersions("9.2")}]}}\nplatforms: [linux/amd64]\nconcurrency: 1\n");

        var open = await FactoryCli.RunAsync(_store.Args("run", "it_open", "--pools", "amd64", "--json"));
        Assert.True(open.ExitCode == 0, open.ToString());
        var openSpans = await SpansAsync(open);
        Assert.True(Overlap(openSpans), "without a budget the embedded executor (2 at once) should have run items side by side: " + string.Join(", ", openSpans));

        var one = await FactoryCli.RunAsync(_store.Args("run", "it_one", "--pools", "amd64", "--json"));
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Equal(3, one.Json.GetProperty("summary").GetProperty("built").GetInt32());
        var oneSpans = await SpansAsync(one);
        Assert.False(Overlap(oneSpans), "with concurrency: 1 two items ran at once: " + string.Join(", ", oneSpans));
    }

    [Fact]
    public async Task An_item_whose_deadline_passed_is_recorded_expired_and_nothing_is_built()
    {
        _store.Write("plans/it_expired.yaml", "id: it_expired\nmanifest: core_smoke\nmatrix: {light: [1.0.0]}\nplatforms: [linux/amd64]\ndeadline: 2020-01-01T00:00:00Z\n");

        var run = await FactoryCli.RunAsync(_store.Args("run", "it_expired", "--pools", "amd64", "--json"));

        Assert.True(run.ExitCode == 1, run.ToString());
        var item = Assert.Single(run.Json.GetProperty("items").EnumerateArray());
        Assert.Equal("expired", item.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("image").ValueKind);
        var record = await CliRecords.ShowAsync(_store, item.GetProperty("build_id").GetString()!);
        Assert.Equal(("expired", "deadline_passed"), (record.GetProperty("status").GetString(), record.GetProperty("reason").GetString()));
        Assert.Equal(0, run.Json.GetProperty("summary").GetProperty("built").GetInt32());
    }
}
