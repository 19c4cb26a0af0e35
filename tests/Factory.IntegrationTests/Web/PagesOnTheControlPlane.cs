using System.Net;
using System.Text.RegularExpressions;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.IntegrationTests.Api;
using Factory.UnitTests.Support;

namespace Factory.IntegrationTests.Web;

/// <summary>
/// The UI as the control plane serves it, over records in PostgreSQL: a stable cell, a flaky one (the same key and
/// suite both passed and failed) and a stable failure; filters, history, short keys, bad input, assets, fleet.
/// </summary>
public sealed partial class PagesOnTheControlPlane(ControlPlaneApp host) : IClassFixture<ControlPlaneApp>, IAsyncLifetime
{
    private const string Manifest = "uiapp";
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(-10);
    private readonly Dictionary<string, CompatibilityRecord> _records = new();

    public async Task InitializeAsync()
    {
        if ((await host.Records.ListAsync(new Records.RecordQuery(Manifest), default)).Count > 0)
        {
            foreach (var r in await host.Records.ListAsync(new Records.RecordQuery(Manifest), default)) _records.TryAdd(Name(r), r);
            return;
        }
        await Save("stable-1", "k-stable", "1.0.0", RecordStatus.Passed, 0);
        await Save("stable-2", "k-stable", "1.0.0", RecordStatus.Passed, 1);
        await Save("flaky-1", "k-flaky", "1.1.0", RecordStatus.Failed, 2);
        await Save("flaky-2", "k-flaky", "1.1.0", RecordStatus.Passed, 3);
        await Save("flaky-3", "k-flaky", "1.1.0", RecordStatus.Failed, 4);
        await Save("broken-1", "k-broken", "2.0.0", RecordStatus.Failed, 5);
        await Save("broken-2", "k-broken", "2.0.0", RecordStatus.Failed, 6);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_matrix_shows_a_flaky_cell_with_its_rate_and_a_stable_failure_as_failed()
    {
        var html = await PageAsync($"/matrix/{Manifest}");
        Assert.Contains("data-state=\"passed\"", Row(html, "alpha=1.0.0"));
        var flaky = Row(html, "alpha=1.1.0");
        Assert.Contains("data-state=\"flaky\"", flaky);
        Assert.Contains("66.7% of 3 runs failed", flaky);
        var broken = Row(html, "alpha=2.0.0");
        Assert.Contains("data-state=\"failed\"", broken);
        Assert.Contains("test_failed", broken);
        Assert.Equal(2, Regex.Matches(broken, "<i class=\"s-failed\"").Count);
        Assert.Contains("same inputs (idempotency key + test suite hash) both passed and failed", html);
    }

    [Theory]
    [InlineData("?state=failed", new[] { "alpha=2.0.0" })]
    [InlineData("?hide_flaky=true", new[] { "alpha=1.0.0", "alpha=2.0.0" })]
    [InlineData("?m.alpha=1.1.0", new[] { "alpha=1.1.0" })]
    [InlineData("?modules=alpha%3D1.0.0&platform=linux%2Famd64", new[] { "alpha=1.0.0" })]
    public async Task Matrix_filters_are_permalinks(string query, string[] rows)
    {
        var html = await PageAsync($"/matrix/{Manifest}{query}");
        Assert.Equal(rows, RowNames().Matches(html).Select(m => m.Groups[1].Value).ToArray());
    }

    [Fact]
    public async Task A_cells_history_gives_its_flake_rate_and_where_it_first_failed()
    {
        var html = await PageAsync($"/cell?manifest={Manifest}&platform=linux%2Famd64&modules=alpha%3D1.1.0");
        Assert.Contains("<b>66.7%</b> flake rate: 2 of 3 runs of the same inputs failed", html);
        Assert.Equal(3, Regex.Matches(html, "<tr data-build=").Count);
        Assert.Contains("rerun", html);
        Assert.Contains("not an input change, see the flake rate", html);
    }

    [Fact]
    public async Task A_record_page_opens_from_a_short_build_id_and_says_why_it_was_built()
    {
        var record = _records["broken-1"];
        var html = await PageAsync($"/records/{record.BuildId.ToString()[..10]}");
        Assert.Contains(record.BuildId.ToString(), html);
        Assert.Contains("@alpha-team", html);
        Assert.Contains("sha256:" + new string('a', 64), html);
        Assert.Contains("rebuilt because module alpha 1.1.0 → 2.0.0", html);
        Assert.Contains("<p id=\"failed-step\"><b>test</b>: test suite basic", html);
    }

    [Fact]
    public async Task Bad_input_is_a_400_page_naming_the_parameter()
    {
        var response = await host.Http.GetAsync($"/matrix/{Manifest}?state=sideways");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<b>state</b>: expected one of passed, failed, flaky, quarantined, expired, found &#39;sideways&#39;", await response.Content.ReadAsStringAsync());
        var tooShort = await host.Http.GetAsync("/records/abc");
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("too short", await tooShort.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Assets_ship_with_the_app_and_are_cached_by_content()
    {
        var html = await PageAsync("/");
        var css = Regex.Match(html, "href=\"(/ui/assets/factory.css\\?v=[0-9a-f]{12})\"").Groups[1].Value;
        Assert.NotEmpty(css);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", ""));
        var response = await host.Http.GetAsync(css);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString());
        Assert.Contains("/matrix/core_smoke", html);
    }

    [Fact]
    public async Task The_fleet_page_lists_the_pools_queue_depths_and_dead_letters()
    {
        var html = await PageAsync("/fleet");
        foreach (var pool in new[] { "amd64", "arm64", "gpu" }) Assert.Contains($"<tr data-pool=\"{pool}\">", html);
        Assert.Matches("<tr data-pool=\"amd64\">(<td>[^<]*</td>){4}<td>0</td>", html);
        Assert.Contains("<h2>Dead letters</h2><p class=\"note\">None.</p>", html);
    }

    private async Task<string> PageAsync(string path)
    {
        var response = await host.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}\n{body}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    private static string Row(string html, string modules)
    {
        var start = html.IndexOf($"<tr data-modules=\"{modules}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row {modules} in\n{html}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private async Task Save(string name, string key, string version, string status, int hours)
    {
        var modules = new[] { new ModuleSelection { Slot = "alpha", Name = "alpha", Version = version, ContentDigest = "sha256:" + new string('a', 64), Owner = new ModuleOwner("@alpha-team", "alpha") } };
        var record = SampleRecords.Make(key: key, status: status, reason: status == RecordStatus.Failed ? FailureReason.TestFailed : null, manifest: Manifest,
            image: status == RecordStatus.Failed ? null : $"127.0.0.1:5000/factory/{Manifest}@sha256:{new string('c', 64)}", at: Start.AddHours(hours), modules: modules,
            plan: name);
        Assert.True(await host.Records.SaveAsync(record, default));
        _records[name] = record;
    }

    private static string Name(CompatibilityRecord record) => record.PlanId;

    [GeneratedRegex("<tr data-modules=\"([^\"]*)\">")]
    private static partial Regex RowNames();
}
