using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Factory.Contracts.Failures;
using Factory.Messaging;
using Factory.Signing;
using Factory.UnitTests.Support;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Factory.IntegrationTests.Api;

/// <summary>
/// Results dead letters on the real broker, through the control plane's API and fleet page: a signed result the results
/// consumer gave up on after an infrastructure failure is replayed to results; an unsigned one, whatever its headers
/// claim, is refused with 400 naming why and stays until purged; a poison body is listed as malformed.
/// </summary>
public sealed class ReplayingResultDeadLetters(ControlPlaneApp app) : IClassFixture<ControlPlaneApp>
{
    [Fact]
    public async Task A_signed_result_given_up_on_for_the_database_is_replayed_to_results_and_an_unsigned_one_is_refused_and_purged()
    {
        using var key = SigningKey.Generate();
        var signed = SignedResults.Sign(SignedResults.Unsigned("key_replay"), key);
        var unsigned = SignedResults.Unsigned("key_unsigned");
        var poison = Encoding.UTF8.GetBytes("{\"messageType\": [\"urn:message:Factory.Contracts.Messages:ExecuteWorkItem\"], \"message\": {}}");
        var (signedId, unsignedId) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        await using var connection = await Broker().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await channel.QueuePurgeAsync(WorkQueues.Results);
        foreach (var (id, body) in new[] { (signedId, DeadLetterSamples.ResultEnvelope(signed)), (unsignedId, DeadLetterSamples.ResultEnvelope(unsigned)) })
            await channel.BasicPublishAsync("", WorkQueues.ResultsDeadLetter, true, AsFaulted(id), body);
        await channel.BasicPublishAsync("", WorkQueues.ResultsDeadLetter, true, new BasicProperties { Persistent = true }, poison);

        var listed = await ListAsync();
        var good = listed.Single(l => l.GetProperty("message_id").GetString() == signedId);
        Assert.Equal(("result", signed.BuildId.ToString()), (good.GetProperty("kind").GetString(), good.GetProperty("build_id").GetString()));
        Assert.Contains("postgresql at 127.0.0.1:5432: not reachable", good.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, good.GetProperty("replay_refused").ValueKind);
        var forged = listed.Single(l => l.GetProperty("message_id").GetString() == unsignedId);
        Assert.StartsWith("an unsigned result:", forged.GetProperty("replay_refused").GetString());
        var malformed = listed.Single(l => l.GetProperty("message_id").GetString() == Factory.ControlPlane.DeadLetters.DeadLetterBody.ContentId(poison));
        Assert.Contains("the results queue takes urn:message:Factory.Contracts.Messages:WorkItemCompleted", malformed.GetProperty("malformed").GetString());

        using var page = await app.Http.GetAsync("/fleet");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"<input type=\"hidden\" name=\"id\" value=\"{unsignedId}\"><button type=\"submit\">Purge</button>", html);
        Assert.Contains($"<input type=\"hidden\" name=\"id\" value=\"{signedId}\"><button type=\"submit\">Replay</button>", html);
        Assert.Contains("Replay all 1", html);

        using (var refused = await app.Http.PostAsJsonAsync("/api/dlq/replay", new { ids = new[] { unsignedId, signedId } }))
        {
            var problem = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{(int)refused.StatusCode}: {problem}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var error = JsonDocument.Parse(problem).RootElement.GetProperty("errors")[0];
            Assert.Equal("ids", error.GetProperty("field").GetString());
            Assert.StartsWith($"{unsignedId} cannot be replayed: an unsigned result: it carries no record signature", error.GetProperty("message").GetString());
        }
        Assert.Equal(0u, await channel.MessageCountAsync(WorkQueues.Results));

        using (var replay = await app.Http.PostAsJsonAsync("/api/dlq/replay", new { all = true }))
        {
            Assert.True(replay.IsSuccessStatusCode, await replay.Content.ReadAsStringAsync());
            Assert.Equal([signedId], (await replay.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(r => r.GetProperty("message_id").GetString()));
        }
        var replayed = await channel.BasicGetAsync(WorkQueues.Results, true);
        Assert.NotNull(replayed);
        Assert.Equal(signedId, replayed.BasicProperties.MessageId);
        Assert.False(replayed.BasicProperties.Headers?.ContainsKey("MT-Fault-ExceptionType") ?? false, "the fault headers went back with the result");
        Assert.Equal(signed.BuildId, JsonDocument.Parse(replayed.Body).RootElement.GetProperty("message").GetProperty("buildId").GetGuid());

        using (var purge = await app.Http.PostAsJsonAsync("/api/dlq/purge", new { ids = new[] { unsignedId } }))
            Assert.True(purge.IsSuccessStatusCode, await purge.Content.ReadAsStringAsync());
        using (var purge = await app.Http.PostAsJsonAsync("/api/dlq/purge", new { malformed = true }))
            Assert.True(purge.IsSuccessStatusCode, await purge.Content.ReadAsStringAsync());
        Assert.Empty(await ListAsync());
        Assert.Equal(0u, await channel.MessageCountAsync(WorkQueues.ResultsDeadLetter));
    }

    [Fact]
    public async Task Purging_both_every_malformed_and_every_untrusted_at_once_is_refused_naming_the_field()
    {
        using var purge = await app.Http.PostAsJsonAsync("/api/dlq/purge", new { malformed = true, untrusted = true });

        Assert.Equal(HttpStatusCode.BadRequest, purge.StatusCode);
        Assert.Equal("untrusted", JsonDocument.Parse(await purge.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    /// <summary>Headers as MassTransit's fault filter leaves them on a message it gave up on after an infrastructure failure.</summary>
    private static BasicProperties AsFaulted(string id) => new()
    {
        Persistent = true, MessageId = id, ContentType = "application/vnd.masstransit+json",
        Headers = new Dictionary<string, object?>
        {
            ["MT-Fault-ExceptionType"] = Encoding.UTF8.GetBytes(typeof(InfrastructureException).FullName!),
            ["MT-Fault-Message"] = Encoding.UTF8.GetBytes("postgresql at 127.0.0.1:5432: not reachable"),
            ["MT-Fault-Timestamp"] = Encoding.UTF8.GetBytes(DateTimeOffset.UtcNow.ToString("O")),
        },
    };

    private ConnectionFactory Broker() => new()
    {
        HostName = "127.0.0.1", UserName = LocalCredentials.Current.AmqpUser, Password = LocalCredentials.Current.AmqpPassword,
        VirtualHost = app.Services.GetRequiredService<RabbitMqOptions>().VirtualHost,
    };

    private async Task<List<JsonElement>> ListAsync()
    {
        using var response = await app.Http.GetAsync("/api/dlq");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/dlq answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.EnumerateArray().Select(l => l.Clone()).ToList();
    }
}
