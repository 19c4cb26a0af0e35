using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Factory.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace Factory.IntegrationTests.Fleet;

internal static class HttpJson
{
    public static async Task<List<JsonElement>> GetFromJsonArray(this HttpClient http, string path) =>
        JsonDocument.Parse(await http.GetStringAsync(path)).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
}
