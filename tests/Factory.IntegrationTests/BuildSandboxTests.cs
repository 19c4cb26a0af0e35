using System.Text.Json;
using Factory.Executor.Engine;
using Factory.IntegrationTests.Fleet;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests;

/// <summary>
/// A module's build has no network unless it declares one, so it cannot reach the fleet's services; one that declares
/// it reaches them but finds no credential it can use (they are this install's, made by deploy/local/up.sh).
/// </summary>
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

    /// <summary>What a hostile build tries: the defaults everyone knows, no credentials at all, and the old fixed ones.</summary>
    private static readonly string[] KnownCredentials =
    [
        "amqp:guest:guest", "amqp:guest:", "amqp:factory:factory", "amqp:factory:",
        "mgmt:guest:guest", "mgmt::", "mgmt:factory:factory",
        "pg:factory:factory", "pg:factory:", "pg:postgres:", "pg:postgres:postgres",
        "s3:factory-access:factory-secret-key-0123456789", "s3::", "s3put::",
        "cp-post:", "cp-get:",
    ];

    private static readonly string Probe = Path.Combine(RepoRoot.Path, "tests/Factory.IntegrationTests/Sandbox/credential-probe.pl");

    [Fact]
    public async Task A_fragment_with_declared_network_reaches_RabbitMQ_PostgreSQL_S3_and_the_control_plane_but_no_credential_it_tries_works()
    {
        await using var fleet = new FleetHarness();
        var port = new Uri(fleet.Url).Port;
        // A marker of this run: the probe step runs against today's services, never comes from the cache.
        var marker = Guid.NewGuid().ToString("N");
        fleet.Store.Write("modules/probe/1.0.0/module.yaml",
            "name: probe\nversion: 1.0.0\nowner: {handle: \"@it\", team: it}\ndescription: tries the services on 127.0.0.1\nbuild: {network: true}\n");
        fleet.Store.Write("modules/probe/1.0.0/files/probe.pl", await File.ReadAllTextAsync(Probe));
        fleet.Store.Write("modules/probe/1.0.0/Dockerfile",
            $"COPY files/probe.pl /opt/probe.pl\nRUN echo {marker} && perl /opt/probe.pl cp={port} {string.Join(' ', KnownCredentials)} > /opt/probe.out; cat /opt/probe.out\n");
        fleet.Store.Write("templates/probe.yaml", "id: probe\nversion: 1.0.0\nbase: base/debian:bookworm\nlayers: [probe]\ntests: probe\nlimits: {max_image_mb: 300}\nowner: platform-team\n");
        fleet.Store.Write("tests/probe.yaml", "tests:\n  - name: probe-output\n    run: [cat, /opt/probe.out]\n    expect: {exit_code: 0}\n    timeout: 30s\n");
        await File.AppendAllTextAsync(Path.Combine(fleet.Store.Manifests, "store.yaml"),
            "\nprobe:\n  template: probe\n  modules: {probe: 1.0.0}\n  platforms: [linux/amd64]\n  description: a build that declares the network and tries the services' known credentials\n");
        fleet.Store.Write("plans/it_sandbox_net.yaml", "id: it_sandbox_net\nmanifest: probe\nmatrix: {probe: [1.0.0]}\nplatforms: [linux/amd64]\n");
        await fleet.StartAsync("amd64", executorsPerPool: 1);

        var run = await fleet.SubmitAsync("it_sandbox_net");

        Assert.True(run.ExitCode == 0, run + fleet.Logs());
        var build = run.Json.GetProperty("items")[0].GetProperty("build_id").GetString()!;
        var record = JsonDocument.Parse(await fleet.Http.GetStringAsync($"/api/records/{build}")).RootElement.Clone();
        var probe = CliRecords.Evidence(fleet.Store, record, "test_log", "tests/probe-output.log");
        var lines = probe.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
        // The build has the network: every service answers on its port, so what follows is about credentials.
        foreach (var reached in new[] { "rabbitmq-amqp 5672", "rabbitmq-management 15672", "postgresql 5432", "s3 7480", $"control-plane {port}" })
            Assert.Contains($"reachable {reached}", lines);
        foreach (var attempt in KnownCredentials.Where(a => a != "s3::"))
            Assert.True(lines.Any(l => l.StartsWith($"denied {Shown(attempt)} (", StringComparison.Ordinal)), $"{attempt} was not denied:\n{probe}");
        // Anonymous S3 answers the bucket listing, with nothing in it.
        Assert.Contains(lines, l => l.StartsWith("nothing s3:: (", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("accepted", StringComparison.Ordinal) || l.StartsWith("error", StringComparison.Ordinal) || l.StartsWith("unreachable", StringComparison.Ordinal));

        // The same probe with this install's credentials and the fleet's token, from the host: each is accepted, so the
        // denials above are the services refusing, not the probe failing to speak their protocols.
        var credentials = LocalCredentials.Current;
        var control = await ProcessRunner.RunAsync("perl", [Probe, $"cp={port}", "amqp:$U:$P", "mgmt:$U:$P", "pg:$PGU:$PGP", "s3:$AK:$SK", "cp-get:$T"],
            new Dictionary<string, string>
            {
                ["U"] = credentials.AmqpUser, ["P"] = credentials.AmqpPassword, ["PGU"] = credentials.PgUser, ["PGP"] = credentials.PgPassword,
                ["AK"] = credentials.S3AccessKey, ["SK"] = credentials.S3SecretKey, ["T"] = fleet.Token!,
            }, TimeSpan.FromMinutes(2));
        Assert.True(control.ExitCode == 0, control.Combined);
        Assert.Equal(5, control.Stdout.Split('\n').Count(l => l.StartsWith("accepted ", StringComparison.Ordinal)));
    }

    /// <summary>An attempt as the probe prints it (a long secret masked).</summary>
    private static string Shown(string attempt)
    {
        var parts = attempt.Split(':', 3);
        var secret = parts.Length > 2 ? parts[2] : "";
        return $"{parts[0]}:{parts[1]}:" + (secret.Length == 0 ? "" : parts[0].StartsWith("s3", StringComparison.Ordinal) || parts[0].StartsWith("cp", StringComparison.Ordinal) || secret.Length > 12 ? "***" : secret);
    }

    [Fact]
    public void The_modules_that_use_apt_declare_the_network_and_the_others_do_not()
    {
        var store = Factory.Manifests.ManifestStoreLoader.Load(RepoRoot.Manifests);
        var declared = store.Modules.SelectMany(m => m.Value.Values).Where(m => m.BuildNetwork).Select(m => $"{m.Name}/{m.Version}").Order().ToList();
        Assert.Equal(["numerics/1.0.0", "numerics/1.1.0", "python/1.0.0"], declared);
    }
}
