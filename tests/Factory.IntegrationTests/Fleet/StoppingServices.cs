using Factory.Executor.Engine;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests.Fleet;

/// <summary>SIGTERM to the results consumer and the control plane: they stop consuming, finish what they hold, and exit 0.</summary>
[Collection(DockerCollection.Name)]
public sealed class StoppingServices
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_results_consumer_and_the_control_plane_leave_their_queues_on_SIGTERM_and_exit_0()
    {
        await using var fleet = new FleetHarness();
        await fleet.StartAsync("amd64", executorsPerPool: 0);
        await using var consumer = fleet.StartService("results-consumer-2", "results-consumer");
        await using var controlPlane = fleet.StartService("control-plane-2", "control-plane", "--urls", $"http://127.0.0.1:{LocalFleet.FreePort()}");
        // Each queue is consumed by the fleet's process and by the one this test owns.
        await WaitForConsumersAsync(fleet, 2);

        await Task.WhenAll(consumer.TerminateAsync(), controlPlane.TerminateAsync());

        Assert.True(await consumer.WaitForExitAsync(Long) == 0, consumer.Tail());
        Assert.True(await controlPlane.WaitForExitAsync(Long) == 0, controlPlane.Tail());
        Assert.All(new[] { consumer, controlPlane }, s => Assert.Contains(s.Lines, l => l.Contains("Application is shutting down")));
        await WaitForConsumersAsync(fleet, 1);
    }

    /// <summary>Until the results queue and every control-plane queue has exactly this many consumers.</summary>
    private static async Task WaitForConsumersAsync(FleetHarness fleet, int expected)
    {
        var deadline = DateTime.UtcNow + Long;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var listed = await ProcessRunner.RunAsync("rabbitmqctl", ["list_queues", "-q", "-p", fleet.VirtualHost, "name", "consumers"], timeout: Long);
            Assert.True(listed.ExitCode == 0, listed.Combined);
            var queues = listed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))
                .Where(q => q.Length == 2 && (q[0] == "results" || q[0].StartsWith("control-plane-", StringComparison.Ordinal)))
                .ToDictionary(q => q[0], q => int.Parse(q[1]));
            last = string.Join(", ", queues.Select(q => $"{q.Key}={q.Value}"));
            if (queues.ContainsKey("results") && queues.Count > 1 && queues.Values.All(n => n == expected)) return;
            await Task.Delay(500);
        }
        Assert.Fail($"the queues never had {expected} consumers each: {last}\n{fleet.Logs()}");
    }
}
