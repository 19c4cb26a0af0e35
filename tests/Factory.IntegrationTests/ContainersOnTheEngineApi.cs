using System.Text.Json;
using Factory.Contracts.Failures;
using Factory.Executor;
using Factory.Executor.Engine;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests;

/// <summary>
/// The executor's containers on the real engine through its API (Docker.DotNet): the sandbox every test container had
/// from `docker run`, execs and runs with their output split and their exit codes, an OOM kill said, and an engine that
/// is away or failing reported as infrastructure. What the engine did is read back with the docker CLI, not our client.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ContainersOnTheEngineApi : IAsyncLifetime
{
    private static readonly ExecutorOptions Options = new() { TestMemory = "48m", TestPidsLimit = 40 };
    private readonly DockerEngine _engine = new(Options);
    private readonly string _prefix = $"factory-it-api-{Guid.NewGuid():N}"[..28];
    private string _image = "";

    public async Task InitializeAsync()
    {
        var built = await _engine.BuildAsync(new ImageBuildRequest(BuildContext.Of($"FROM 127.0.0.1:5000/base/busybox:1.35\nRUN echo {_prefix} > /marker\n"), $"127.0.0.1:5000/factory-it/engine-api:{_prefix}", "linux/amd64", []), CancellationToken.None);
        Assert.True(built.Succeeded, built.Log);
        _image = built.ImageId!;
    }

    public async Task DisposeAsync()
    {
        await DockerCli.RunAsync("image", "rm", "--force", $"127.0.0.1:5000/factory-it/engine-api:{_prefix}");
        _engine.Dispose();
    }

    [Fact]
    public async Task A_test_container_has_no_network_the_memory_and_pids_limits_and_goes_away_when_removed()
    {
        var name = $"{_prefix}-shared";
        var container = await _engine.StartTestContainerAsync(new TestContainerRequest(_image, "linux/amd64", name, TimeSpan.FromMinutes(5), RequestGpu: false), CancellationToken.None);

        Assert.NotNull(container);
        using (var inspected = JsonDocument.Parse(await DockerCli.RunAsync("inspect", "--format", "{{json .}}", name)))
        {
            var host = inspected.RootElement.GetProperty("HostConfig");
            Assert.Equal("none", host.GetProperty("NetworkMode").GetString());
            Assert.Equal(48L * 1024 * 1024, host.GetProperty("Memory").GetInt64());
            Assert.Equal(40L, host.GetProperty("PidsLimit").GetInt64());
            Assert.True(host.GetProperty("AutoRemove").GetBoolean());
            Assert.False(host.GetProperty("Privileged").GetBoolean());
            Assert.Equal(JsonValueKind.Null, host.GetProperty("DeviceRequests").ValueKind);
            Assert.Equal("sleep", inspected.RootElement.GetProperty("Config").GetProperty("Entrypoint")[0].GetString());
            Assert.True(inspected.RootElement.GetProperty("State").GetProperty("Running").GetBoolean());
        }
        // Inside: only the loopback interface.
        var links = await _engine.ExecAsync(container, ["ls", "/sys/class/net"], TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal((0, "lo"), (links.ExitCode, links.Stdout.Trim()));

        await _engine.RemoveContainerAsync(name, CancellationToken.None);
        await _engine.RemoveContainerAsync(name, CancellationToken.None);
        Assert.Equal("", (await DockerCli.RunAsync("ps", "--all", "--quiet", "--filter", $"name={name}")).Trim());
        var gone = await _engine.ExecAsync(container, ["true"], TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.True(gone.ContainerGone, gone.ToString());
    }

    [Fact]
    public async Task An_exec_keeps_stdout_and_stderr_apart_gives_the_exit_code_and_times_out()
    {
        var container = await _engine.StartTestContainerAsync(new TestContainerRequest(_image, "linux/amd64", $"{_prefix}-exec", TimeSpan.FromMinutes(5), false), CancellationToken.None);
        try
        {
            var outcome = await _engine.ExecAsync(container!, ["sh", "-c", "echo out; echo err >&2; echo more; cat /marker; exit 3"], TimeSpan.FromSeconds(30), CancellationToken.None);
            Assert.Equal((3, $"out\nmore\n{_prefix}\n", "err\n", false), (outcome.ExitCode, outcome.Stdout, outcome.Stderr, outcome.TimedOut));

            var missing = await _engine.ExecAsync(container!, ["no-such-command"], TimeSpan.FromSeconds(30), CancellationToken.None);
            Assert.Equal(127, missing.ExitCode);

            var slow = await _engine.ExecAsync(container!, ["sh", "-c", "echo started; sleep 30"], TimeSpan.FromSeconds(2), CancellationToken.None);
            Assert.True(slow.TimedOut, slow.ToString());
            Assert.Equal("started\n", slow.Stdout);
            // The 2 s timeout, give or take: its timer may fire a few milliseconds early by the Stopwatch (a .ci/run here
            // measured 1.9975 s).
            Assert.InRange(slow.Duration, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(20));
        }
        finally
        {
            await _engine.RemoveContainerAsync($"{_prefix}-exec", CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_container_of_its_own_gives_the_exit_code_says_when_it_ran_out_of_memory_and_is_removed()
    {
        var quick = await _engine.RunAsync(new ContainerRunRequest(_image, ["sh", "-c", "echo hi; echo oops >&2; exit 5"], "linux/amd64", TimeSpan.FromSeconds(60), $"{_prefix}-run1", false), CancellationToken.None);
        Assert.Equal((5, "hi\n", "oops\n", false), (quick.ExitCode, quick.Stdout, quick.Stderr, quick.TimedOut));

        var missing = await _engine.RunAsync(new ContainerRunRequest(_image, ["no-such-command"], "linux/amd64", TimeSpan.FromSeconds(60), $"{_prefix}-run2", false), CancellationToken.None);
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("executable file not found", missing.Stderr);

        // One line of 200 MB: sort holds it whole, far over the 48 MiB limit.
        var hungry = await _engine.RunAsync(new ContainerRunRequest(_image, ["sh", "-c", "head -c 200000000 /dev/zero | sort > /dev/null"], "linux/amd64",
            TimeSpan.FromSeconds(120), $"{_prefix}-run3", false), CancellationToken.None);
        Assert.NotEqual(0, hungry.ExitCode);
        Assert.Contains("ran out of memory", hungry.Stderr);

        var hangs = await _engine.RunAsync(new ContainerRunRequest(_image, ["sleep", "60"], "linux/amd64", TimeSpan.FromSeconds(2), $"{_prefix}-run4", false), CancellationToken.None);
        Assert.True(hangs.TimedOut, hangs.ToString());

        Assert.Equal("", (await DockerCli.RunAsync("ps", "--all", "--quiet", "--filter", $"name={_prefix}-run")).Trim());
    }

    [Fact]
    public async Task An_image_without_sleep_cannot_keep_a_test_container_and_leaves_none_behind()
    {
        var built = await _engine.BuildAsync(new ImageBuildRequest(BuildContext.Of("FROM 127.0.0.1:5000/base/busybox:1.35\nRUN rm /bin/sleep\n"), $"127.0.0.1:5000/factory-it/engine-api:{_prefix}-no-sleep", "linux/amd64", []), CancellationToken.None);
        Assert.True(built.Succeeded, built.Log);
        try
        {
            var container = await _engine.StartTestContainerAsync(new TestContainerRequest(built.ImageId!, "linux/amd64", $"{_prefix}-nosleep", TimeSpan.FromMinutes(5), false), CancellationToken.None);

            Assert.Null(container);
            Assert.Equal("", (await DockerCli.RunAsync("ps", "--all", "--quiet", "--filter", $"name={_prefix}-nosleep")).Trim());
        }
        finally
        {
            await DockerCli.RunAsync("image", "rm", "--force", $"127.0.0.1:5000/factory-it/engine-api:{_prefix}-no-sleep");
        }
    }

    [Fact]
    public async Task An_image_is_inspected_tagged_and_its_size_and_layers_read()
    {
        var target = $"127.0.0.1:5000/factory-it/engine-api:{_prefix}-tagged";
        await _engine.TagAsync(_image, target, CancellationToken.None);
        try
        {
            Assert.Equal(_image, (await DockerCli.RunAsync("image", "inspect", "--format", "{{.Id}}", target)).Trim());
            Assert.Equal(long.Parse((await DockerCli.RunAsync("image", "inspect", "--format", "{{.Size}}", _image)).Trim(), System.Globalization.CultureInfo.InvariantCulture),
                await _engine.ImageSizeAsync(_image, CancellationToken.None));
            Assert.Equal(int.Parse((await DockerCli.RunAsync("image", "inspect", "--format", "{{len .RootFS.Layers}}", _image)).Trim(), System.Globalization.CultureInfo.InvariantCulture),
                await _engine.ImageLayerCountAsync(_image, CancellationToken.None));
            Assert.Equal((await DockerCli.RunAsync("version", "--format", "{{.Server.Arch}}")).Trim(), await _engine.ServerArchitectureAsync(CancellationToken.None));
        }
        finally
        {
            await DockerCli.RunAsync("image", "rm", target);
        }
    }

    [Fact]
    public async Task An_engine_that_is_not_there_or_answers_500_is_an_infrastructure_failure_that_is_retried()
    {
        using var away = new DockerEngine(new ExecutorOptions { DockerHost = $"unix:///tmp/factory-no-engine-{Guid.NewGuid():N}.sock" });
        var refused = await Assert.ThrowsAsync<InfrastructureException>(() => away.EnsureAvailableAsync(CancellationToken.None));
        Assert.Equal("docker engine", refused.Service);
        Assert.Contains("not reachable", refused.Message);
        Assert.True(FailureClassifier.IsRetryable(refused));
        Assert.Null(refused.InnerException);

        await using var failing = new FailingEngine();
        using var broken = new DockerEngine(new ExecutorOptions { DockerHost = $"unix://{failing.Path}" });
        var failed = await Assert.ThrowsAsync<InfrastructureException>(() => broken.ServerArchitectureAsync(CancellationToken.None));
        Assert.Contains($"500 {FailingEngine.Message}", failed.Message);
        Assert.True(FailureClassifier.IsRetryable(failed));
        Assert.Equal(FailureClassification.Infrastructure, FailureClassifier.Classify(failed));
        var execFailed = await Assert.ThrowsAsync<InfrastructureException>(() =>
            broken.ExecAsync(new TestContainer("any", []), ["true"], TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.True(FailureClassifier.IsRetryable(execFailed));
    }
}
