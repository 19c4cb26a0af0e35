using System.Text.Json;

namespace Factory.IntegrationTests.Infrastructure;

/// <summary>A plan's view from a control plane's API, polled until a condition holds; a timeout fails the test with the fleet's logs.</summary>
public sealed class PlanWatch(HttpClient http, Func<Task<string>> logs)
{
    public async Task<JsonElement> PlanAsync(string id) =>
        JsonDocument.Parse(await http.GetStringAsync($"/api/plans/{id}")).RootElement.Clone();

    public async Task<JsonElement> WaitForAsync(string id, Func<JsonElement, bool> condition, TimeSpan timeout, string what)
    {
        var (view, met) = await Poll.UntilAsync(() => PlanAsync(id), condition, timeout, TimeSpan.FromMilliseconds(250));
        if (!met) Assert.Fail($"timed out waiting for {what}; last view:\n{view}\n{await logs()}");
        return view;
    }
}
