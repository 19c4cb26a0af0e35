using System.Net;
using System.Text;
using System.Text.Json;
using Factory.Cli.Commands;
using Factory.Contracts.Messages;
using Factory.IntegrationTests.Infrastructure;
using MassTransit.Serialization;
using RabbitMQ.Client;

namespace Factory.IntegrationTests.Fleet;

/// <summary>One work item delivered twice at once to one executor host (an outbox that resent it, a lease that lapsed).</summary>
[Collection(DockerCollection.Name)]
public sealed class DoubleDelivery
{
    [Fact]
    public async Task The_same_work_item_delivered_twice_at_once_is_built_once_with_one_record_and_no_container_killed()
    {
        await using var fleet = new FleetHarness();
        // A build that takes a while and is in no cache, so the second delivery surely arrives while the first runs.
        fleet.Store.AddModule("light", "9.8.0", $"RUN echo \"light 9.8.0 {Guid.NewGuid():N}\" > /etc/factory/light && sleep 8\n");
        fleet.Store.Write("plans/it_double.yaml", "id: it_double\nmanifest: core_smoke\nmatrix: {light: [9.8.0]}\nplatforms: [linux/amd64]\n");
        // A real work item: the combination `factory plan render --json` shows, from the preparation that command runs.
        var rendered = await FactoryCli.RunAsync(fleet.Store.Args("plan", "render", "it_double", "--json"));
        Assert.True(rendered.ExitCode == 0, rendered.ToString());
        var key = Assert.Single(rendered.Json.GetProperty("items").EnumerateArray()).GetProperty("idempotency_key").GetString()!;
        var prepared = await PlanPreparation.PrepareAsync(fleet.Store.Manifests, fleet.Store.State, "it_double", ["amd64"], CancellationToken.None);
        var item = Assert.Single(prepared.Items);
        Assert.Equal(key, item.IdempotencyKey);
        await fleet.StartAsync("amd64", executorsPerPool: 2);

        var build = Guid.NewGuid();
        var body = DistributedFleetTests.Envelope("urn:message:Factory.Contracts.Messages:ExecuteWorkItem",
            JsonSerializer.Serialize(new ExecuteWorkItem { BuildId = build, Item = item, Attempt = 1 }, SystemTextJsonMessageSerializer.Options));
        var factory = new ConnectionFactory { HostName = "127.0.0.1", VirtualHost = fleet.VirtualHost, UserName = LocalCredentials.Current.AmqpUser, Password = LocalCredentials.Current.AmqpPassword };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true)))
        {
            Task Publish() => channel.BasicPublishAsync("wq-amd64", "", true,
                new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = Guid.NewGuid().ToString(), Persistent = true },
                Encoding.UTF8.GetBytes(body)).AsTask();
            await Task.WhenAll(Publish(), Publish());
        }

        var record = await WaitForRecordAsync(fleet, build);
        Assert.True(record.GetProperty("status").GetString() == "passed", $"{record}\n{fleet.Logs()}");
        Assert.All(record.GetProperty("tests").EnumerateArray(), t => Assert.Equal("passed", t.GetProperty("status").GetString()));
        await Task.Delay(TimeSpan.FromSeconds(3)); // a second build's result, if there were one, would have landed by now
        Assert.Equal(1, (await fleet.RecordsPerKeyAsync())[key]);

        // Both deliveries' outcomes are in the executors' logs: one ran (and published its result), one was dropped.
        var logs = string.Join("\n", Directory.EnumerateFiles(fleet.RunDirectory, "executor-*.log").Select(File.ReadAllText));
        Assert.Equal(1, Count(logs, $"build {build} attempt 1: running as {build:N}-a1-"));
        Assert.Equal(1, Count(logs, $"build {build} attempt 1: passed, result published"));
        Assert.True(Count(logs, $"build {build} attempt 1: dropped, another delivery of this build is running on this host (another executor)") == 1, logs);
        Assert.Equal("", (await DockerCli.RunAsync("ps", "--all", "--quiet", "--filter", $"name=factory-{build:N}")).Trim());
    }

    private static int Count(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;

    private static async Task<JsonElement> WaitForRecordAsync(FleetHarness fleet, Guid build)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(6);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await fleet.Http.GetAsync($"/api/records/{build}");
            if (response.StatusCode == HttpStatusCode.OK) return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            await Task.Delay(500);
        }
        Assert.Fail($"no record of build {build} after 6 minutes\n{fleet.Logs()}");
        return default;
    }
}
