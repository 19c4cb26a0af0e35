using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests;

/// <summary>A module's build has no network unless it declares one, so it cannot reach the fleet's services.</summary>
[Collection(DockerCollection.Name)]
public sealed class BuildSandboxTests : IDisposable
{
    private readonly ScratchStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_fragment_without_declared_network_cannot_reach_RabbitMQ_PostgreSQL_or_the_registry()
    {
        // Each probe writes what it reached; with the host's network every one of them would answer.
        _store.AddModule("light", "7.21.0", """
            RUN for target in 127.0.0.1:15672/ 127.0.0.1:5000/v2/ 127.0.0.1:5432/; do \
                  if wget -q -T 3 -O /dev/null "http://$target" 2>/dev/null; then echo "reached $target"; else echo "unreachable $target"; fi; \
                done > /etc/factory/probe; cat /etc/factory/probe
            """);
        _store.Write("tests/smoke.yaml", """
            tests:
              - name: nothing-reached
                run: [cat, /etc/factory/probe]
                expect: {stdout: "/\\Aunreachable [^\\n]*\\nunreachable [^\\n]*\\nunreachable /"}
            """);
        _store.Write("plans/it_sandbox.yaml", "id: it_sandbox\nmanifest: core_smoke\nmatrix: {light: [7.21.0]}\nplatforms: [linux/amd64]\n");

        var run = await FactoryCli.RunAsync(_store.Args("run", "it_sandbox", "--json"));

        var item = run.Json.GetProperty("items")[0];
        var record = await CliRecords.ShowAsync(_store, item.GetProperty("build_id").GetString()!);
        Assert.True(run.ExitCode == 0, $"{run}\n{record}");
        Assert.Equal("passed", record.GetProperty("status").GetString());
        // What the build's probe wrote, read back by the test (the build log is empty of it when the step is cached;
        // the network mode is part of BuildKit's cache key, so a cached step was built without network too).
        var probe = CliRecords.Evidence(_store, record, "test_log", "tests/nothing-reached.log");
        Assert.Contains("unreachable 127.0.0.1:15672/", probe);
        Assert.Contains("unreachable 127.0.0.1:5432/", probe);
        Assert.DoesNotContain("reached 127.0.0.1", probe.Replace("unreachable 127.0.0.1", ""));
    }

    [Fact]
    public void The_modules_that_use_apt_declare_the_network_and_the_others_do_not()
    {
        var store = Factory.Manifests.ManifestStoreLoader.Load(RepoRoot.Manifests);
        var declared = store.Modules.SelectMany(m => m.Value.Values).Where(m => m.BuildNetwork).Select(m => $"{m.Name}/{m.Version}").Order().ToList();
        Assert.Equal(["numerics/1.0.0", "numerics/1.1.0", "python/1.0.0"], declared);
    }
}
