using Factory.Executor;
using Factory.Executor.Engine;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests;

/// <summary>Failures that are results, and the registry cache, on the real Docker engine and registry.</summary>
[Collection(DockerCollection.Name)]
public sealed class BuildingOnTheRealEngine : IDisposable
{
    private readonly ScratchStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_failing_test_is_recorded_as_failed_with_its_log_tail()
    {
        _store.Write("tests/smoke.yaml", """
            tests:
              - name: shell-works
                run: [sh, -c, "echo hello"]
                expect: {stdout: hello}
              - name: wrong-answer
                run: [sh, -c, "echo the answer is 41; echo to stderr >&2; exit 3"]
                expect: {exit_code: 0, stdout: "the answer is 42"}
            """);
        // A module version of this test alone: its image never passes, so it never has a passing name.
        _store.AddModule("light", "7.13.0", "RUN echo \"light 7.13.0\" > /etc/factory/light\n");
        _store.Write("plans/it_failing_test.yaml", "id: it_failing_test\nmanifest: core_smoke\nmatrix: {light: [7.13.0]}\nplatforms: [linux/amd64]\n");

        var run = await FactoryCli.RunAsync(_store.Args("run", "it_failing_test", "--json"));

        Assert.True(run.ExitCode == 1, run.ToString());
        var item = run.Json.GetProperty("items")[0];
        Assert.Equal("failed", item.GetProperty("status").GetString());
        Assert.Equal("test_failed", item.GetProperty("reason").GetString());
        var record = await CliRecords.ShowAsync(_store, item.GetProperty("build_id").GetString()!);
        Assert.Equal("failed", record.GetProperty("status").GetString());
        var failedTest = record.GetProperty("tests").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "wrong-answer");
        Assert.Equal("failed", failedTest.GetProperty("status").GetString());
        Assert.Equal(3, failedTest.GetProperty("exit_code").GetInt32());
        Assert.Contains("the answer is 41", record.GetProperty("log_tail").GetString());
        Assert.Contains("exit code 3", CliRecords.Evidence(_store, record, "test_log", "tests/wrong-answer.log"));
        Assert.Equal("passed", record.GetProperty("tests").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "shell-works").GetProperty("status").GetString());

        // Quarantined: pushed only to the candidates repository, never under the passing name.
        Assert.StartsWith("127.0.0.1:5000/factory-candidates/core_smoke@sha256:", record.GetProperty("image").GetString());
        using var registry = new HttpClient();
        var passingName = $"http://127.0.0.1:5000/v2/factory/core_smoke/manifests/{record.GetProperty("idempotency_key").GetString()![..24]}";
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await registry.GetAsync(passingName)).StatusCode);
    }

    [Fact]
    public async Task A_fragment_that_fails_to_build_is_recorded_as_build_failed_with_its_log_tail()
    {
        _store.AddModule("light", "9.0.1", "RUN echo about to fail && echo fragment-broke-here >&2 && exit 7\n");
        _store.Write("plans/it_build_fails.yaml", "id: it_build_fails\nmanifest: core_smoke\nmatrix: {light: [9.0.1]}\nplatforms: [linux/amd64]\n");

        var run = await FactoryCli.RunAsync(_store.Args("run", "it_build_fails", "--json"));

        Assert.True(run.ExitCode == 1, run.ToString());
        var item = run.Json.GetProperty("items")[0];
        Assert.Equal("failed", item.GetProperty("status").GetString());
        Assert.Equal("build_failed", item.GetProperty("reason").GetString());
        Assert.Equal(0, item.GetProperty("tests").GetArrayLength());
        var record = await CliRecords.ShowAsync(_store, item.GetProperty("build_id").GetString()!);
        Assert.Equal(JsonValueKindNull, record.GetProperty("image").ValueKind);
        Assert.Contains("fragment-broke-here", record.GetProperty("log_tail").GetString());
        Assert.Contains("exit code: 7", CliRecords.Evidence(_store, record, "build_log"));
    }

    [Fact]
    public async Task A_second_build_on_an_emptied_local_build_cache_is_served_from_the_registry_cache()
    {
        // A module unique to this run, so the first build really builds its step.
        var marker = Guid.NewGuid().ToString("N");
        _store.AddModule("light", "9.1.0", $"RUN echo \"light 9.1.0 {marker}\" > /etc/factory/light && sleep 2\n");
        _store.Write("plans/it_cache.yaml", "id: it_cache\nmanifest: core_smoke\nmatrix: {light: [9.1.0]}\nplatforms: [linux/amd64]\n");
        var first = await FactoryCli.RunAsync(_store.Args("run", "it_cache", "--json"));
        Assert.True(first.ExitCode == 0, first.ToString());
        var firstRecord = await CliRecords.ShowAsync(_store, first.Json.GetProperty("items")[0].GetProperty("build_id").GetString()!);
        Assert.DoesNotContain("CACHED", BuildKitLog.StepLines(CliRecords.Evidence(_store, firstRecord, "build_log"), marker));

        // Empty the local build cache and drop the image (only its candidate tag is local: the passing and cache tags were
        // made in the registry), and forget the record so the item is built again.
        var key24 = firstRecord.GetProperty("idempotency_key").GetString()![..24];
        await DockerCli.RunAsync("image", "rm", "--force", $"127.0.0.1:5000/factory-candidates/core_smoke:{key24}");
        // Under the host's build gate: on Debian's 20.10 engine nothing else may build while the cache is emptied.
        using (await new EngineBuildGate(new ExecutorOptions().BuildGateDirectory).EnterAsync(CancellationToken.None))
            await DockerCli.RunAsync("builder", "prune", "--all", "--force");
        Directory.Delete(_store.State, recursive: true);

        var second = await FactoryCli.RunAsync(_store.Args("run", "it_cache", "--json"));
        Assert.True(second.ExitCode == first.ExitCode, second.ToString());
        Assert.Equal(1, second.Json.GetProperty("summary").GetProperty("built").GetInt32());
        var secondRecord = await CliRecords.ShowAsync(_store, second.Json.GetProperty("items")[0].GetProperty("build_id").GetString()!);
        var log = CliRecords.Evidence(_store, secondRecord, "build_log");
        Assert.Contains("importing cache manifest from 127.0.0.1:5000/", log);
        Assert.Contains("CACHED", BuildKitLog.StepLines(log, marker));
        Assert.Equal("passed", secondRecord.GetProperty("status").GetString());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
