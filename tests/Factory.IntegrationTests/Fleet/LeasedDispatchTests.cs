using System.Diagnostics;
using System.Text.Json;
using Factory.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace Factory.IntegrationTests.Fleet;

/// <summary>
/// The dispatch core on a real fleet when messages go missing: a lost result is made good by its lease, and a plan
/// submitted before any executor ever ran waits on queues the control plane declared.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class LeasedDispatchTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    private static List<JsonElement> Items(JsonElement view) => view.GetProperty("items").EnumerateArray().ToList();

    private static bool Completed(JsonElement view) => view.GetProperty("status").GetString() == "completed";

    [Fact]
    public async Task A_result_lost_on_its_way_to_the_records_is_built_again_when_its_lease_lapses_and_recorded_once()
    {
        await using var fleet = new FleetHarness();
        var marker = Guid.NewGuid().ToString("N")[..12];
        fleet.Store.AddModule("light", "9.8.0", $"RUN echo \"light 9.8.0 {marker}\" > /etc/factory/light\n");
        fleet.Store.Write("plans/it_lost.yaml", "id: it_lost\nmanifest: core_smoke\nmatrix: {light: [9.8.0]}\nplatforms: [linux/amd64]\n");
        await fleet.StartAsync("amd64", executorsPerPool: 1, new Dictionary<string, string>
        {
            ["ControlPlane__Dispatch__Interval"] = "00:00:01",
            ["ControlPlane__Dispatch__Leases__Run"] = "00:00:08",
        });
        var consumer = Process.GetProcessById(fleet.PidOf("results-consumer-1"));
        consumer.Kill();
        await consumer.WaitForExitAsync();

        var id = (await fleet.SubmitAsync("it_lost", wait: false)).Json.GetProperty("id").GetString()!;
        // The executor finishes and publishes its result; nobody records it.
        await using var broker = await new ConnectionFactory { HostName = "127.0.0.1", VirtualHost = fleet.VirtualHost, UserName = LocalCredentials.Current.AmqpUser, Password = LocalCredentials.Current.AmqpPassword }.CreateConnectionAsync();
        await using var channel = await broker.CreateChannelAsync();
        var deadline = DateTime.UtcNow + Long;
        while ((await channel.QueueDeclarePassiveAsync("results")).MessageCount == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no result reached the results queue\n" + fleet.Logs());
            await Task.Delay(200);
        }
        Assert.Equal(1u, await channel.QueuePurgeAsync("results"));
        await fleet.StartMoreAsync(executorsPerPool: 1);

        var done = await fleet.WaitForPlanAsync(id, Completed, Long, "the plan to complete after its result was lost");
        var item = Assert.Single(Items(done));
        Assert.Equal("passed", item.GetProperty("status").GetString());
        Assert.True(item.GetProperty("attempt").GetInt32() >= 2, $"the build was not sent again after its result was lost:\n{item}");
        Assert.Equal(1, Assert.Single(await fleet.RecordsPerKeyAsync()).Value);
        Assert.Empty(JsonDocument.Parse(await fleet.Http.GetStringAsync("/api/builds")).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task A_plan_submitted_before_any_executor_ever_started_completes_once_executors_start()
    {
        await using var fleet = new FleetHarness();
        fleet.Store.Write("plans/it_late_executors.yaml", "id: it_late_executors\nmanifest: core_smoke\nmatrix: {light: [1.0.0, 1.1.0]}\nplatforms: [linux/amd64]\n");
        await fleet.StartAsync("amd64", executorsPerPool: 0, new Dictionary<string, string> { ["ControlPlane__AdmitUnservedPools"] = "true" });

        var submitted = await fleet.SubmitAsync("it_late_executors", wait: false);
        Assert.True(submitted.ExitCode == 0, submitted + fleet.Logs());
        var id = submitted.Json.GetProperty("id").GetString()!;
        var queued = await fleet.WaitForPlanAsync(id, v => Items(v).All(i => i.GetProperty("status").GetString() == "queued"), Long, "both items to be queued");
        Assert.All(Items(queued), i => Assert.Equal(JsonValueKind.Null, i.GetProperty("started_at").ValueKind));

        await fleet.StartMoreAsync(executorsPerPool: 1);

        var done = await fleet.WaitForPlanAsync(id, Completed, Long, "the plan to complete once an executor started");
        Assert.All(Items(done), i => Assert.Equal("passed", i.GetProperty("status").GetString()));
        Assert.All((await fleet.RecordsPerKeyAsync()).Values, n => Assert.Equal(1, n));
    }
}
