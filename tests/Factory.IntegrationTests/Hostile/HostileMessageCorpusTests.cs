using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Factory.ControlPlane.DeadLetters;
using Factory.IntegrationTests.Api;
using Factory.Messaging;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Factory.IntegrationTests.Hostile;

/// <summary>
/// Walks tests/hostile/messages: each poison body, published straight into a pool's dead-letter queue, is listed as
/// malformed with its reason, refused for replay with 400 naming why (nothing reaches the work queue), and purged.
/// The listing keeps answering 200 throughout.
/// </summary>
public sealed class HostileMessageCorpusTests(ControlPlaneApp app) : IClassFixture<ControlPlaneApp>
{
    private const string Pool = "amd64";

    public static TheoryData<string> MessageCases() => new(HostileCase.Names("messages", ".message"));

    [Theory]
    [MemberData(nameof(MessageCases))]
    public async Task A_poison_dead_letter_is_listed_as_malformed_refused_for_replay_and_purged(string name)
    {
        var @case = HostileCase.Load("messages", name);
        var body = Encoding.UTF8.GetBytes(@case.Body);
        var id = DeadLetterBody.ContentId(body);
        await using var connection = await Broker().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await channel.BasicPublishAsync("", WorkQueues.DeadLetterFor(Pool), true, new BasicProperties { Persistent = true }, body);

        var letter = await ListedAsync(id);
        Assert.True(letter is { } l && l.GetProperty("malformed").GetString()!.Contains(@case.Expect, StringComparison.Ordinal),
            $"{name}: expected {id} listed as malformed with \"{@case.Expect}\"; got {letter}");
        Assert.Equal(letter!.Value.GetProperty("malformed").GetString(), letter.Value.GetProperty("reason").GetString());

        using var replay = await app.Http.PostAsJsonAsync("/api/dlq/replay", new { ids = new[] { id } });
        var refusal = await replay.Content.ReadAsStringAsync();
        Assert.True(replay.StatusCode == HttpStatusCode.BadRequest, $"{name}: replay answered {(int)replay.StatusCode}: {refusal}");
        Assert.Equal("application/problem+json", replay.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(refusal).RootElement.GetProperty("errors")[0];
        Assert.Equal("ids", error.GetProperty("field").GetString());
        Assert.Contains($"{id} is malformed", error.GetProperty("message").GetString());
        Assert.Contains(@case.Expect, error.GetProperty("message").GetString());
        Assert.Equal(0u, await channel.MessageCountAsync(WorkQueues.For(Pool)));

        using var purge = await app.Http.PostAsJsonAsync("/api/dlq/purge", new { ids = new[] { id } });
        Assert.True(purge.IsSuccessStatusCode, await purge.Content.ReadAsStringAsync());
        Assert.Equal([id], JsonDocument.Parse(await purge.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(p => p.GetProperty("message_id").GetString()));
        Assert.Null(await ListedAsync(id));
        Assert.Equal(0u, await channel.MessageCountAsync(WorkQueues.DeadLetterFor(Pool)));
    }

    [Fact]
    public async Task Replaying_all_moves_only_the_well_formed_letters_and_purging_malformed_removes_only_the_poison()
    {
        var good = Guid.NewGuid().ToString();
        var poison = Encoding.UTF8.GetBytes("{\"messageType\": [\"urn:message:Factory.Contracts.Messages:SomethingElse\"], \"message\": {}}");
        await using var connection = await Broker().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await channel.BasicPublishAsync("", WorkQueues.DeadLetterFor(Pool), true,
            new BasicProperties { Persistent = true, MessageId = good, ContentType = "application/vnd.masstransit+json" }, DeadLetterSamples.WorkItemEnvelope(Guid.NewGuid()));
        await channel.BasicPublishAsync("", WorkQueues.DeadLetterFor(Pool), true, new BasicProperties { Persistent = true }, poison);

        var listed = await ListedAsync(good);
        Assert.True(listed is { } g && g.GetProperty("malformed").ValueKind == JsonValueKind.Null, $"{listed}");
        Assert.Equal("it_dlq", listed!.Value.GetProperty("plan_id").GetString());

        using var replay = await app.Http.PostAsJsonAsync("/api/dlq/replay", new { all = true });
        Assert.True(replay.IsSuccessStatusCode, await replay.Content.ReadAsStringAsync());
        Assert.Equal([good], JsonDocument.Parse(await replay.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(p => p.GetProperty("message_id").GetString()));
        Assert.Equal(1u, await channel.MessageCountAsync(WorkQueues.For(Pool)));
        Assert.NotNull(await ListedAsync(DeadLetterBody.ContentId(poison)));

        using var purge = await app.Http.PostAsJsonAsync("/api/dlq/purge", new { malformed = true });
        Assert.True(purge.IsSuccessStatusCode, await purge.Content.ReadAsStringAsync());
        Assert.Equal([DeadLetterBody.ContentId(poison)], JsonDocument.Parse(await purge.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(p => p.GetProperty("message_id").GetString()));
        Assert.Equal(0u, await channel.MessageCountAsync(WorkQueues.DeadLetterFor(Pool)));
        await channel.QueuePurgeAsync(WorkQueues.For(Pool));
    }

    private ConnectionFactory Broker() => new()
    {
        HostName = "127.0.0.1", UserName = LocalCredentials.Current.AmqpUser, Password = LocalCredentials.Current.AmqpPassword,
        VirtualHost = app.Services.GetRequiredService<RabbitMqOptions>().VirtualHost,
    };

    /// <summary>The letter of that id in GET /api/dlq, which must answer 200 whatever the queue holds.</summary>
    private async Task<JsonElement?> ListedAsync(string id)
    {
        using var response = await app.Http.GetAsync("/api/dlq");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/dlq answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.EnumerateArray().Where(l => l.GetProperty("message_id").GetString() == id)
            .Select(l => (JsonElement?)l.Clone()).FirstOrDefault();
    }
}
