using System.Globalization;
using System.Text.RegularExpressions;
using Factory.Executor;
using Factory.Executor.Engine;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests;

/// <summary>
/// Two builders on one host build at once on the real engine, each with its own engine object and so its own open of the
/// gate file, as two executor processes would. On an engine that needs the gate (Debian's 20.10 here) the second waits
/// for the first to end, and its build log says how long; on one that does not, neither should wait (that branch has
/// not run here: this machine has only the 20.10 engine).
/// </summary>
[Collection(DockerCollection.Name)]
public sealed partial class BuildGateOnTheRealEngine : IAsyncLifetime
{
    private readonly string _gateDirectory = Path.Combine(Path.GetTempPath(), "factory-it-gate-" + Guid.NewGuid().ToString("N"));
    private readonly string _marker = Guid.NewGuid().ToString("N")[..12];

    [GeneratedRegex(@"^\[factory: waited (\d+\.\d) s for this host's build gate")]
    private static partial Regex Waited();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = 0; i < 2; i++) await DockerCli.RunAsync("image", "rm", "--force", Tag(i));
        if (Directory.Exists(_gateDirectory)) Directory.Delete(_gateDirectory, recursive: true);
    }

    private string Tag(int i) => $"127.0.0.1:5000/factory-it/gate:{_marker}-{i}";

    [Fact]
    public async Task Two_builders_on_one_host_take_turns_on_an_engine_that_needs_it()
    {
        // The two builders take turns on a gate of their own, so that what the test sees is theirs alone. The host's gate
        // is held meanwhile: their builds share a base, as the crash needs, and no other build on this host (another test
        // class's, running beside this one) may overlap them on this engine. With only the private gate, one of these
        // builds and another test's could run at once: the one way found for a build in the tests to pass the host's gate.
        using var host = await new EngineBuildGate(new ExecutorOptions().BuildGateDirectory).EnterAsync(CancellationToken.None);
        var options = new ExecutorOptions { BuildGateDirectory = _gateDirectory };
        using var api = new DockerEngineApi(null);
        var needed = EngineBuildGate.Needed(BuildGateMode.Auto, await api.VersionAsync(CancellationToken.None));
        using var first = new DockerEngine(options);
        using var second = new DockerEngine(options);

        // Each takes 2 s in a RUN step and is in no cache (the marker), and they share the base, as the crash needs.
        var builds = await Task.WhenAll(new[] { first, second }.Select((engine, i) => engine.BuildAsync(new ImageBuildRequest(
            BuildContext.Of($"FROM 127.0.0.1:5000/base/busybox:1.35\nRUN echo {_marker}-{i} > /marker && sleep 2\n"), Tag(i), "linux/amd64", []),
            CancellationToken.None)));

        Assert.All(builds, b => Assert.True(b.Succeeded, b.Log));
        var waits = builds.Select(b => Waited().Match(b.Log)).Where(m => m.Success)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        if (needed)
        {
            // One went first; the other waited for at least most of its 2 s step.
            var waited = Assert.Single(waits);
            Assert.True(waited >= 1.5, $"the second build waited only {waited} s for the gate");
        }
        else
        {
            Assert.Empty(waits);
        }
    }
}
