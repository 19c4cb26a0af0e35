using System.Net;
using System.Text.Json;

namespace Factory.IntegrationTests.Health;

/// <summary>GET /health/ready as an orchestrator asks it: polled until it gives the wanted status, and its checks read by name.</summary>
public static class ReadyEndpoint
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    public static Task<Polled<(HttpStatusCode StatusCode, string Body)>> UntilAsync(HttpClient http, HttpStatusCode wanted) =>
        Poll.UntilAsync(async () =>
        {
            using var response = await http.GetAsync("/health/ready");
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }, answer => answer.StatusCode == wanted, Settle, TimeSpan.FromMilliseconds(250));

    public static JsonElement Check(string body, string name) =>
        JsonDocument.Parse(body).RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
}
