using System.Text.Json;
using Factory.Executor.Engine;
using Factory.IntegrationTests.Fleet;
using Factory.IntegrationTests.Infrastructure;
using Factory.IntegrationTests.Sandbox;

namespace Factory.IntegrationTests;

/// <summary>
/// A module's build has no network unless it declares one, so it cannot reach the fleet's services; one that declares
/// it shares the host's network but the build firewall refuses it every port on the host; and the services that check
/// credentials accept none but this install's (made by deploy/local/up.sh), whoever asks.
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

    [Fact]
    public async Task A_fragment_with_declared_network_shares_the_hosts_network_but_reaches_no_port_on_the_host()
    {
        // Every TCP port anything on this host listens on, at 127.0.0.1 / ::1 and, for the wildcard ones, at the host's
        // own addresses: the registry, Ceph's monitor and OSDs, RabbitMQ, PostgreSQL, whatever else runs here.
        var targets = HostListeners.Targets();
        Assert.Contains("127.0.0.1/5000", targets);
        // A marker of this run: the probe step runs against today's listeners, never comes from the cache.
        var marker = Guid.NewGuid().ToString("N");
        WriteNetworkModule(_store, "probe", $$"""
            RUN echo {{marker}}; readlink /proc/self/ns/net > /opt/probe.out; \
                for t in {{string.Join(' ', targets)}}; do \
                  if timeout 3 bash -c "exec 3<>/dev/tcp/$t" 2>/dev/null; then echo "reached $t"; else echo "refused $t"; fi; \
                done >> /opt/probe.out; cat /opt/probe.out
            """);
        _store.Write("plans/it_sandbox_net.yaml", "id: it_sandbox_net\nmanifest: probe\nmatrix: {probe: [1.0.0]}\nplatforms: [linux/amd64]\n");

        var run = await FactoryCli.RunAsync(_store.Args("run", "it_sandbox_net", "--json"));

        var item = run.Json.GetProperty("items")[0];
        var record = await CliRecords.ShowAsync(_store, item.GetProperty("build_id").GetString()!);
        Assert.True(run.ExitCode == 0, $"{run}\n{record}");
        var lines = CliRecords.Evidence(_store, record, "test_log", "tests/probe-output.log")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
        // The build ran in the host's own network namespace (what `build: {network: true}` gives it), so a refusal
        // below is the build firewall (deploy/local/build-firewall.sh), not a missing network.
        var output = lines.SkipWhile(l => !l.StartsWith("net:[", StringComparison.Ordinal)).ToList();
        Assert.True(output.Count > 0, string.Join('\n', lines));
        Assert.Equal(HostListeners.NetworkNamespace(), output[0]);
        Assert.Equal(targets.Select(t => $"refused {t}"), output.Skip(1).Take(targets.Count));
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

    /// <summary>
    /// The second wall, for an engine host without the build firewall (or anything else on the host that is not ours):
    /// a process in the host's network tries the credentials everyone knows on every service that checks any.
    /// </summary>
    [Fact]
    public async Task On_the_host_RabbitMQ_PostgreSQL_S3_and_the_control_plane_refuse_every_credential_but_this_installs()
    {
        await using var fleet = new FleetHarness();
        await fleet.StartAsync("amd64", executorsPerPool: 0);
        var port = new Uri(fleet.Url).Port;

        var attempt = await ProcessRunner.RunAsync("perl", [Probe, $"cp={port}", .. KnownCredentials], null, TimeSpan.FromMinutes(2));

        var probe = attempt.Stdout;
        Assert.True(attempt.ExitCode == 0, attempt.Combined);
        var lines = probe.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
        foreach (var reached in new[] { "rabbitmq-amqp 5672", "rabbitmq-management 15672", "postgresql 5432", "s3 7480", $"control-plane {port}" })
            Assert.Contains($"reachable {reached}", lines);
        foreach (var known in KnownCredentials.Where(a => a != "s3::"))
            Assert.True(lines.Any(l => l.StartsWith($"denied {Shown(known)} (", StringComparison.Ordinal)), $"{known} was not denied:\n{probe}");
        // Anonymous S3 answers the bucket listing, with nothing in it.
        Assert.Contains(lines, l => l.StartsWith("nothing s3:: (", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("accepted", StringComparison.Ordinal) || l.StartsWith("error", StringComparison.Ordinal) || l.StartsWith("unreachable", StringComparison.Ordinal));

        // The same probe with this install's credentials and the fleet's token: each is accepted, so the denials above
        // are the services refusing, not the probe failing to speak their protocols.
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

    /// <summary>A module "probe" 1.0.0 that declares the network, on Debian (bash), with a manifest and a test printing /opt/probe.out.</summary>
    private static void WriteNetworkModule(ScratchStore store, string name, string fragment)
    {
        store.Write($"modules/{name}/1.0.0/module.yaml",
            $"name: {name}\nversion: 1.0.0\nowner: {{handle: \"@it\", team: it}}\ndescription: tries the ports on the host\nbuild: {{network: true}}\n");
        store.Write($"modules/{name}/1.0.0/Dockerfile", fragment);
        store.Write("templates/probe.yaml", "id: probe\nversion: 1.0.0\nbase: base/debian:bookworm\nlayers: [probe]\ntests: probe\nlimits: {max_image_mb: 300}\nowner: platform-team\n");
        store.Write("tests/probe.yaml", "tests:\n  - name: probe-output\n    run: [cat, /opt/probe.out]\n    expect: {exit_code: 0}\n    timeout: 30s\n");
        File.AppendAllText(Path.Combine(store.Manifests, "store.yaml"),
            $"\nprobe:\n  template: probe\n  modules: {{{name}: 1.0.0}}\n  platforms: [linux/amd64]\n  description: a build that declares the network and probes the host\n");
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
