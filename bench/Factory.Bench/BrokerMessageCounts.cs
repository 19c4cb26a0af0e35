using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Factory.Testing;

namespace Factory.Bench;

/// <summary>
/// How many messages were published in a virtual host so far, from RabbitMQ's management API (port 15672, this install's
/// user). The broker adds its counters up every 5 s (collect_statistics_interval): read them at least that long after
/// the last message, or some are missing.
/// </summary>
public static class BrokerMessageCounts
{
    public static readonly TimeSpan StatisticsInterval = TimeSpan.FromSeconds(5.5);

    public static async Task<long?> PublishedAsync(string virtualHost, CancellationToken ct)
    {
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:15672"), Timeout = TimeSpan.FromSeconds(10) };
            var user = LocalCredentials.Current;
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user.AmqpUser}:{user.AmqpPassword}")));
            var json = JsonDocument.Parse(await http.GetStringAsync($"/api/vhosts/{Uri.EscapeDataString(virtualHost)}", ct)).RootElement;
            return json.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty("publish", out var published) ? published.GetInt64() : 0;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            Shell.Log($"RabbitMQ management API: {ex.Message} (messages per item not counted)");
            return null;
        }
    }
}
