using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests;

/// <summary>An item's tests on the real engine: one shared container, exec'ed test by test, unless a test or the image says otherwise.</summary>
[Collection(DockerCollection.Name)]
public sealed class TestingInOneContainer : IDisposable
{
    private readonly ScratchStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Tests_share_one_container_a_fresh_container_test_gets_its_own_and_a_timeout_takes_the_shared_one_with_it()
    {
        _store.Write("tests/smoke.yaml", """
            tests:
              - name: writes
                run: [sh, -c, "echo shared > /tmp/state"]
              - name: sees-what-the-first-wrote
                run: [cat, /tmp/state]
                expect: {stdout: shared}
              - name: fresh-sees-nothing
                run: [sh, -c, "test ! -e /tmp/state && echo clean"]
                expect: {stdout: clean}
                fresh_container: true
              - name: hangs
                run: [sleep, "60"]
                timeout: 2s
              - name: after-the-timeout
                run: [sh, -c, "test ! -e /tmp/state && echo clean"]
                expect: {stdout: clean}
              - name: missing-command
                run: [no-such-command]
                expect: {exit_code: 127}
            """);
        _store.AddModule("light", "7.20.0", $"RUN echo \"light 7.20.0 {Guid.NewGuid():N}\" > /etc/factory/light\n");
        _store.Write("plans/it_one_container.yaml", "id: it_one_container\nmanifest: core_smoke\nmatrix: {light: [7.20.0]}\nplatforms: [linux/amd64]\n");

        var run = await FactoryCli.RunAsync(_store.Args("run", "it_one_container", "--json"));

        Assert.True(run.ExitCode == 1, run.ToString());
        var buildId = run.Json.GetProperty("items")[0].GetProperty("build_id").GetString()!;
        var record = await CliRecords.ShowAsync(_store, buildId);
        var tests = record.GetProperty("tests").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(["hangs"], tests.Where(t => t.Value.GetProperty("status").GetString() != "passed").Select(t => t.Key));
        Assert.True(tests["hangs"].GetProperty("timed_out").GetBoolean());
        Assert.InRange(tests["hangs"].GetProperty("duration_ms").GetInt64(), 1900, 20_000);
        Assert.Equal(127, tests["missing-command"].GetProperty("exit_code").GetInt32());

        string Where(string test) => CliRecords.Evidence(_store, record, "test_log", $"tests/{test}.log").Split('\n').Single(l => l.StartsWith("container: ", StringComparison.Ordinal));
        var prefix = $"factory-{Guid.Parse(buildId):N}-a1-";
        Assert.Matches($"^container: shared container {prefix}[0-9a-f]{{8}}-test1$", Where("writes"));
        Assert.Equal(Where("writes"), Where("sees-what-the-first-wrote"));
        Assert.Equal(Where("writes"), Where("hangs"));
        Assert.Matches($"^container: own container {prefix}[0-9a-f]{{8}}-run1$", Where("fresh-sees-nothing"));
        Assert.Matches($"^container: shared container {prefix}[0-9a-f]{{8}}-test2$", Where("after-the-timeout"));
        Assert.Equal(Where("after-the-timeout"), Where("missing-command"));

        // Nothing of the build is left running: not the container the timed-out test hung in, not the last one.
        Assert.Equal("", (await DockerCli.RunAsync("ps", "--all", "--quiet", "--filter", $"name={prefix}")).Trim());
    }

    [Fact]
    public async Task A_fork_that_never_exits_dies_with_its_container_and_a_fork_bomb_stops_at_the_pids_limit()
    {
        // The sleeps' odd durations find their processes on the host afterwards, if any were left.
        _store.Write("tests/smoke.yaml", """
            tests:
              - name: forks-in-the-shared-container
                run: [sh, -c, "sleep 987651 & echo done"]
                expect: {stdout: done}
                timeout: 30s
              - name: forks-in-its-own-container
                run: [sh, -c, "sleep 987652 & echo done"]
                expect: {stdout: done}
                fresh_container: true
                timeout: 60s
              - name: fork-bomb
                run: [sh, -c, "b() { b | b & }; b; sleep 987653"]
                timeout: 5s
              - name: after-them
                run: [sh, -c, "echo fine"]
                expect: {stdout: fine}
            """);
        _store.AddModule("light", "7.22.0", $"RUN echo \"light 7.22.0 {Guid.NewGuid():N}\" > /etc/factory/light\n");
        _store.Write("plans/it_forks.yaml", "id: it_forks\nmanifest: core_smoke\nmatrix: {light: [7.22.0]}\nplatforms: [linux/amd64]\n");

        var run = await FactoryCli.RunAsync(_store.Args("run", "it_forks", "--json"));

        Assert.True(run.ExitCode == 1, run.ToString());
        var buildId = run.Json.GetProperty("items")[0].GetProperty("build_id").GetString()!;
        var record = await CliRecords.ShowAsync(_store, buildId);
        var tests = record.GetProperty("tests").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        // The engine ends an exec when its command exits (seen on 20.10): the forked sleep lives on in the shared
        // container until that container is removed (at a timeout or at the end of the item), checked below.
        // In a container of its own it dies with the command, as with docker run.
        Assert.Equal("passed", tests["forks-in-the-shared-container"].GetProperty("status").GetString());
        Assert.Equal("passed", tests["forks-in-its-own-container"].GetProperty("status").GetString());
        Assert.InRange(tests["forks-in-its-own-container"].GetProperty("duration_ms").GetInt64(), 0, 50_000);
        Assert.True(tests["fork-bomb"].GetProperty("timed_out").GetBoolean());
        Assert.Matches("can't fork|Resource temporarily unavailable", CliRecords.Evidence(_store, record, "test_log", "tests/fork-bomb.log"));
        Assert.Equal("passed", tests["after-them"].GetProperty("status").GetString());

        var prefix = $"factory-{Guid.Parse(buildId):N}-a1-";
        Assert.Equal("", (await DockerCli.RunAsync("ps", "--all", "--quiet", "--filter", $"name={prefix}")).Trim());
        var left = Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)).Where(d =>
        {
            try { return File.ReadAllText(Path.Combine(d, "cmdline")).Contains("98765", StringComparison.Ordinal); }
            catch (IOException) { return false; }
        }).ToList();
        Assert.Empty(left);
    }

    [Fact]
    public async Task An_image_without_sleep_runs_each_test_in_a_container_of_its_own_and_still_gets_its_sbom()
    {
        _store.AddModule("light", "7.21.0", $"RUN rm /bin/sleep && echo \"light 7.21.0 {Guid.NewGuid():N}\" > /etc/factory/light\n");
        _store.Write("plans/it_no_sleep.yaml", "id: it_no_sleep\nmanifest: core_smoke\nmatrix: {light: [7.21.0]}\nplatforms: [linux/amd64]\n");

        var run = await FactoryCli.RunAsync(_store.Args("run", "it_no_sleep", "--json"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var record = await CliRecords.ShowAsync(_store, run.Json.GetProperty("items")[0].GetProperty("build_id").GetString()!);
        var names = record.GetProperty("tests").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToList();
        Assert.Equal(5, names.Count);
        var logs = names.Select(n => CliRecords.Evidence(_store, record, "test_log", $"tests/{n}.log")).ToList();
        Assert.All(logs, log => Assert.Contains("has no sleep to keep a container alive: every test runs in a container of its own", log));
        Assert.Equal(5, logs.Select(log => log.Split('\n').Single(l => l.StartsWith("container: own container ", StringComparison.Ordinal))).Distinct().Count());
        Assert.Contains("\"name\": \"light\"", CliRecords.Evidence(_store, record, "sbom"));
    }
}
