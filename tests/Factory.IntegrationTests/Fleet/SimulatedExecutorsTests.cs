using System.Text.Json;
using Factory.Executor.Engine;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests.Fleet;

/// <summary>
/// SIMULATOR: simulated executors on a real fleet (control plane, results consumer, RabbitMQ, PostgreSQL) take a plan's
/// real work items from the simulated pool's queue, and the records are real; the simulator never serves a real pool nor
/// shares one with a real executor, and a real executor never serves a simulated pool.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class SimulatedExecutorsTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    /// <summary>The control plane sends linux/amd64 to pool sim (and nowhere else): how a simulation fleet is set up.</summary>
    private static readonly Dictionary<string, string> SimPool = new()
    {
        ["ControlPlane__Pools__0__Name"] = "sim",
        ["ControlPlane__Pools__0__Platform"] = "linux/amd64",
    };

    private static string Dll(string project)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepoRoot.Path, "Executor", project, "bin", configuration, $"net10.0/{project}.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        return dll;
    }

    private static void AddSimPlan(ScratchStore store, int items)
    {
        store.Write("tests/it_sim.yaml", "tests:\n  - name: exits-zero\n    run: [\"true\"]\n    expect: {exit_code: 0}\n    timeout: 30s\n");
        store.Write("templates/it_sim.yaml", "id: it_sim\nversion: 1.0.0\nbase: base/busybox:1.35\nlayers: [it-sim]\ntests: it_sim\nowner: it\n");
        var versions = Enumerable.Range(0, items).Select(n => $"1.0.{n}").ToList();
        foreach (var v in versions) store.AddModule("it-sim", v, $"RUN echo \"it-sim {v}\" > /etc/it-sim\n");
        File.AppendAllText(Path.Combine(store.Manifests, "store.yaml"), "\nit_sim:\n  template: it_sim\n  modules: {it-sim: 1.0.0}\n  platforms: [linux/amd64]\n");
        store.Write("plans/it_sim.yaml", $"id: it_sim\nmanifest: it_sim\nmatrix: {{it-sim: [{string.Join(", ", versions)}]}}\nplatforms: [linux/amd64]\n");
    }

    [Fact]
    public async Task Twenty_simulated_executors_in_two_processes_complete_a_plan_of_30_items_with_one_record_per_key()
    {
        await using var fleet = new FleetHarness();
        AddSimPlan(fleet.Store, 30);
        await fleet.StartAsync("amd64", executorsPerPool: 0, new Dictionary<string, string>(SimPool)
        {
            ["FACTORY_SIMULATORS"] = "2",
            ["FACTORY_SIMULATED_EXECUTORS"] = "10",
            ["Simulator__BuildMedian"] = "00:00:00.500",
        });
        var executors = JsonDocument.Parse(await fleet.Http.GetStringAsync("/api/executors")).RootElement.EnumerateArray().ToList();
        Assert.Equal(20, executors.Count);
        Assert.All(executors, e => Assert.Equal("sim", e.GetProperty("pool").GetString()));
        Assert.All(executors, e => Assert.StartsWith("sim-", e.GetProperty("executor_id").GetString()));
        Assert.Contains("SIMULATED executors", File.ReadAllText(Path.Combine(fleet.RunDirectory, "simulator-1.log")));

        var submitted = await fleet.SubmitAsync("it_sim", wait: false);

        Assert.True(submitted.ExitCode == 0, submitted + fleet.Logs());
        var id = submitted.Json.GetProperty("id").GetString()!;
        var done = await fleet.WaitForPlanAsync(id, v => v.GetProperty("status").GetString() == "completed", Long, "the plan to complete on simulated executors");
        var items = done.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(30, items.Count);
        Assert.All(items, i => Assert.Equal(("passed", "sim"), (i.GetProperty("status").GetString(), i.GetProperty("pool").GetString())));
        var ranOn = items.Select(i => i.GetProperty("executor_id").GetString()!).ToList();
        Assert.All(ranOn, e => Assert.StartsWith("sim-", e));
        // Both processes took work, on many executors of their own (20 can run at once).
        Assert.True(ranOn.Distinct().Count() >= 10, $"the items ran on only {ranOn.Distinct().Count()} simulated executors: {string.Join(", ", ranOn.Distinct())}");
        Assert.Equal(2, ranOn.Select(e => e.Split('-')[^2]).Distinct().Count());
        var records = await fleet.RecordsPerKeyAsync();
        Assert.Equal(items.Select(i => i.GetProperty("idempotency_key").GetString()!).Order(), records.Keys.Order());
        Assert.All(records.Values, n => Assert.Equal(1, n));
        Assert.Empty(JsonDocument.Parse(await fleet.Http.GetStringAsync("/api/builds")).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task A_simulator_refuses_a_real_pool_and_a_pool_a_real_executor_serves_and_a_real_executor_refuses_a_simulated_pool()
    {
        await using var fleet = new FleetHarness();
        // A real executor process on pool sim: only the bench-only instant engine skips the check that refuses it (below).
        await fleet.StartAsync("sim", executorsPerPool: 1, new Dictionary<string, string>(SimPool) { ["Executor__Engine"] = "bench-instant" });
        var real = Assert.Single(JsonDocument.Parse(await fleet.Http.GetStringAsync("/api/executors")).RootElement.EnumerateArray()).GetProperty("executor_id").GetString();
        var simulator = Dll("Factory.Executor.Simulator");
        var withToken = LocalCredentials.Current.WithBus(new Dictionary<string, string> { ["FACTORY_TOKEN"] = fleet.Token! });

        var shared = await ProcessRunner.RunAsync("dotnet", [simulator, "--pool", "sim", "--control-plane", fleet.Url, "--Bus:RabbitMq:VirtualHost", fleet.VirtualHost],
            withToken, Long);
        var realPool = await ProcessRunner.RunAsync("dotnet", [simulator, "--pool", "amd64", "--control-plane", fleet.Url], withToken, Long);
        var noControlPlane = await ProcessRunner.RunAsync("dotnet", [simulator, "--pool", "sim"], LocalCredentials.Current.BusEnvironment, Long);
        var realExecutor = await ProcessRunner.RunAsync("dotnet", [Dll("Factory.Executor.Host"), "--pool", "sim"], LocalCredentials.Current.BusEnvironment, Long);

        Assert.Equal(2, shared.ExitCode);
        Assert.Contains($"simulator: refusing to start: pool sim is served by executor {real} on", shared.Stderr);
        Assert.Contains("which is not simulated: simulated executors never share a pool with real ones", shared.Stderr);
        Assert.DoesNotContain("SIMULATED executors", shared.Stderr);
        Assert.Equal(2, realPool.ExitCode);
        Assert.Contains("simulator: refusing to start: Simulator:Pool is 'amd64': expected a pool name that starts with 'sim'", realPool.Stderr);
        Assert.Equal(2, noControlPlane.ExitCode);
        Assert.Contains("Simulator:ControlPlane is '': expected the control plane's http URL", noControlPlane.Stderr);
        Assert.Equal(2, realExecutor.ExitCode);
        Assert.Contains("executor: refusing to start: executor pool sim: is not a known pool", realExecutor.Stderr);
    }
}
