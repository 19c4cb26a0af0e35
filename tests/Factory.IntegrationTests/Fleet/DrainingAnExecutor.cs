using System.Text.Json;
using System.Text.RegularExpressions;
using Factory.IntegrationTests.Infrastructure;
using Factory.Messaging;
using RabbitMQ.Client;

namespace Factory.IntegrationTests.Fleet;

/// <summary>
/// SIGTERM to an executor in the middle of a build, as compose or Kubernetes scaling down sends it: the executor takes
/// no more work, finishes the build within its grace or hands it back to the queue, and exits 0; the item is recorded
/// once and nothing lands in the dead-letter queue.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed partial class DrainingAnExecutor
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task An_executor_stopped_mid_build_finishes_it_within_its_grace_records_it_once_and_exits_0()
    {
        await using var fleet = new FleetHarness();
        var (executor, id, build, delivery) = await TerminatedMidBuildAsync(fleet, "it_drain_finish", testSeconds: 8, graceSeconds: 240);
        await using var owned = executor;

        Assert.Equal(0, await executor.WaitForExitAsync(Long));
        Assert.Contains(executor.Lines, l => l.Contains($"draining: 1 builds in progress ({build})"));
        Assert.Contains(executor.Lines, l => l.Contains($"draining: finished build {build} attempt 1 (passed)"));
        Assert.Contains(executor.Lines, l => l.Contains("drained: 1 finished, 0 handed back; exiting"));
        Assert.DoesNotContain(executor.Lines, l => l.Contains("handed back build"));

        var item = await CompletedItemAsync(fleet, id);
        Assert.Equal((build, 1), (item.GetProperty("build_id").GetGuid(), item.GetProperty("attempt").GetInt32()));
        Assert.Equal(1, Assert.Single(await fleet.RecordsPerKeyAsync()).Value);
        Assert.Equal(0u, await MessagesInAsync(fleet, WorkQueues.DeadLetterFor("amd64")));
        Assert.Equal("", (await DockerCli.RunAsync("ps", "--all", "--quiet", "--filter", $"name=factory-{delivery}")).Trim());
    }

    [Fact]
    public async Task An_executor_stopped_mid_build_past_its_grace_hands_it_back_and_another_executor_records_it_once()
    {
        await using var fleet = new FleetHarness();
        var (first, id, build, delivery) = await TerminatedMidBuildAsync(fleet, "it_drain_hand_back", testSeconds: 20, graceSeconds: 1);
        await using var owned = first;
        var firstId = $"{Environment.MachineName}-{first.Pid}";

        Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains(first.Lines, l => l.Contains($"draining: 1 builds in progress ({build})"));
        Assert.Contains(first.Lines, l => l.Contains($"draining: handed back build {build} attempt 1: its delivery returns to wq-amd64"));
        Assert.Contains(first.Lines, l => l.Contains("drained: 0 finished, 1 handed back; exiting"));
        Assert.DoesNotContain(first.Lines, l => l.Contains("result published"));
        // Handed back: its containers are gone, and the work item waits in its queue again, not in the dead-letter queue.
        Assert.Equal("", (await DockerCli.RunAsync("ps", "--all", "--quiet", "--filter", $"name=factory-{delivery}")).Trim());
        await WaitForMessagesAsync(fleet, WorkQueues.For("amd64"), 1);
        Assert.Equal(0u, await MessagesInAsync(fleet, WorkQueues.DeadLetterFor("amd64")));
        // The control plane heard of it: the build waits as queued (noting who handed it back) instead of lapsing into a second send.
        await WaitForBuildAsync(fleet, build, b => b.GetProperty("state").GetString() == "queued" && b.GetProperty("executor_id").GetString() == firstId,
            "the control plane to take the build back as queued");

        await using var second = fleet.StartExecutor("executor-taking-over");
        var (again, _) = await RunningAsync(second);
        Assert.Equal(build, again);
        var item = await CompletedItemAsync(fleet, id);
        Assert.Equal(build, item.GetProperty("build_id").GetGuid());
        Assert.Equal(1, Assert.Single(await fleet.RecordsPerKeyAsync()).Value);
        Assert.Equal(0u, await MessagesInAsync(fleet, WorkQueues.DeadLetterFor("amd64")));
        Assert.Contains(second.Lines, l => l.Contains($"build {build} attempt 1: passed, result published"));
    }

    /// <summary>
    /// A fleet with one executor (the test's own, with this grace) and a plan of one item whose tests take a while; the
    /// executor gets SIGTERM once the item's test container runs, so surely mid-build.
    /// </summary>
    private static async Task<(ServiceProcess Executor, string Id, Guid Build, string Delivery)> TerminatedMidBuildAsync(FleetHarness fleet, string plan,
        int testSeconds, int graceSeconds)
    {
        SlowPlan(fleet, plan, testSeconds);
        await fleet.StartAsync("amd64", executorsPerPool: 0);
        var executor = fleet.StartExecutor("executor-draining", settings: new Dictionary<string, string> { ["Executor__Drain__GraceSeconds"] = graceSeconds.ToString() });
        try
        {
            await WaitUntilServedAsync(fleet);
            var id = await SubmitAsync(fleet, plan);
            var (build, delivery) = await RunningAsync(executor);
            await WaitForContainerAsync(fleet, delivery);
            await executor.TerminateAsync();
            return (executor, id, build, delivery);
        }
        catch
        {
            await executor.DisposeAsync();
            throw;
        }
    }

    /// <summary>A plan of one item that is built fresh and whose tests take a while.</summary>
    private static void SlowPlan(FleetHarness fleet, string name, int testSeconds)
    {
        fleet.Store.Write("tests/smoke.yaml", $$"""
            tests:
              - name: takes-a-while
                run: [sleep, "{{testSeconds}}"]
                timeout: 2m
              - name: light-present
                run: [cat, /etc/factory/light]
                expect: {stdout: '/^light \d+\.\d+\.\d+/'}
            """);
        fleet.Store.AddModule("light", "9.9.0", $"RUN echo \"light 9.9.0 {Guid.NewGuid():N}\" > /etc/factory/light\n");
        fleet.Store.Write($"plans/{name}.yaml", $"id: {name}\nmanifest: core_smoke\nmatrix: {{light: [9.9.0]}}\nplatforms: [linux/amd64]\n");
    }

    private static async Task WaitUntilServedAsync(FleetHarness fleet)
    {
        var deadline = DateTime.UtcNow + Long;
        while (JsonDocument.Parse(await fleet.Http.GetStringAsync("/api/executors")).RootElement.GetArrayLength() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the executor never said hello\n" + fleet.Logs());
            await Task.Delay(250);
        }
    }

    private static async Task<string> SubmitAsync(FleetHarness fleet, string plan)
    {
        var submitted = await fleet.SubmitAsync(plan, wait: false);
        Assert.True(submitted.ExitCode == 0, submitted + fleet.Logs());
        return submitted.Json.GetProperty("id").GetString()!;
    }

    /// <summary>The build the executor runs, and its delivery (which names its containers).</summary>
    private static async Task<(Guid Build, string Delivery)> RunningAsync(ServiceProcess executor)
    {
        var line = await executor.WaitForLineAsync(l => RunningAs().IsMatch(l), Long, "build running");
        var match = RunningAs().Match(line);
        return (Guid.Parse(match.Groups[1].Value), match.Groups[2].Value);
    }

    private static async Task WaitForContainerAsync(FleetHarness fleet, string delivery)
    {
        var deadline = DateTime.UtcNow + Long;
        while ((await DockerCli.RunAsync("ps", "--quiet", "--filter", $"name=factory-{delivery}-test")).Trim() == "")
        {
            Assert.True(DateTime.UtcNow < deadline, $"the tests of {delivery} never started\n{fleet.Logs()}");
            await Task.Delay(200);
        }
    }

    private static async Task WaitForBuildAsync(FleetHarness fleet, Guid build, Func<JsonElement, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        JsonElement? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = JsonDocument.Parse(await fleet.Http.GetStringAsync("/api/builds")).RootElement.EnumerateArray()
                .Where(b => b.GetProperty("build_id").GetGuid() == build).Select(b => (JsonElement?)b.Clone()).FirstOrDefault();
            if (last is { } b && condition(b)) return;
            await Task.Delay(200);
        }
        Assert.Fail($"timed out waiting for {what}; last: {last}\n{fleet.Logs()}");
    }

    private static async Task<JsonElement> CompletedItemAsync(FleetHarness fleet, string id)
    {
        var done = await fleet.WaitForPlanAsync(id, v => v.GetProperty("status").GetString() == "completed", Long, "the plan to complete");
        var item = Assert.Single(done.GetProperty("items").EnumerateArray());
        Assert.True(item.GetProperty("status").GetString() == "passed", $"{item}\n{fleet.Logs()}");
        return item;
    }

    /// <summary>The broker requeues an unacknowledged delivery as it notices the connection closed: a moment after the exit.</summary>
    private static async Task WaitForMessagesAsync(FleetHarness fleet, string queue, uint expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        uint count;
        while ((count = await MessagesInAsync(fleet, queue)) != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{queue} holds {count} messages, not {expected}\n{fleet.Logs()}");
            await Task.Delay(200);
        }
    }

    private static async Task<uint> MessagesInAsync(FleetHarness fleet, string queue)
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", VirtualHost = fleet.VirtualHost, UserName = LocalCredentials.Current.AmqpUser, Password = LocalCredentials.Current.AmqpPassword };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    [GeneratedRegex(@"build ([0-9a-f-]{36}) attempt 1: running as ([0-9a-f]{32}-a1-[0-9a-f]{8})")]
    private static partial Regex RunningAs();
}
