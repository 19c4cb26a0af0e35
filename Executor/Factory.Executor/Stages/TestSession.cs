using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Executor.Engine;

namespace Factory.Executor.Stages;

/// <summary>
/// Where an item's tests run: one container from the image, kept alive, each test exec'ed in it with its own timeout
/// and output, removed at the end. A test that times out takes its container with it (an exec cannot be killed
/// reliably) and the next test gets a fresh one. A test with fresh_container, and every test when the image cannot keep
/// a container alive (no sleep in it), runs in a container of its own, as `docker run` would.
/// </summary>
public sealed class TestSession : IAsyncDisposable
{
    private static readonly TimeSpan KeepAliveMargin = TimeSpan.FromMinutes(10);
    private readonly IContainerEngine _engine;
    private readonly WorkItem _item;
    private readonly Delivery _delivery;
    private TestContainer? _container;
    private int _started, _alone, _execs;
    private bool _containerPerTest;

    private TestSession(IContainerEngine engine, WorkItem item, string image, string imageName, Delivery delivery) =>
        (_engine, _item, Image, ImageName, _delivery) = (engine, item, image, imageName, delivery);

    /// <summary>The image the tests run (a local image id or a reference); ImageName names it in the logs.</summary>
    public string Image { get; }
    public string ImageName { get; }

    /// <summary>The shared container while there is one (the SBOM is read from it before the tests change anything).</summary>
    public string? Container => _container?.Name;

    /// <summary>Why every test ran in a container of its own, when they did.</summary>
    public string? ContainerPerTestReason { get; private set; }

    /// <summary>Starts the shared container at once when some test will use it.</summary>
    public static async Task<TestSession> OpenAsync(IContainerEngine engine, WorkItem item, string image, string imageName, Delivery delivery, CancellationToken ct)
    {
        var session = new TestSession(engine, item, image, imageName, delivery);
        if (item.Tests.Any(t => !t.FreshContainer)) await session.StartAsync(ct);
        return session;
    }

    /// <summary>The delivery the tests run for (its work directory holds their spooled output).</summary>
    public Delivery Delivery => _delivery;

    /// <summary>Runs one test; Where says which container it ran in. With output, its whole output also streams there.</summary>
    public async Task<(ContainerRunOutcome Outcome, string Where)> RunAsync(TestCase test, CancellationToken ct, TestOutputSpools? output = null)
    {
        if (test.FreshContainer || _containerPerTest) return await RunAloneAsync(test, ct, output);
        while (true)
        {
            if (_container is null && !await StartAsync(ct)) return await RunAloneAsync(test, ct, output);
            var container = _container!;
            var firstInContainer = _execs++ == 0;
            var outcome = await _engine.ExecAsync(container, test.Run, test.Timeout, ct, output);
            if (outcome.TimedOut || outcome.ContainerGone) await DiscardAsync();
            if (!outcome.ContainerGone) return (outcome, $"shared container {container.Name}");
            // The container was gone before the test ran. Right after it started: the image cannot keep one alive.
            // Later: an earlier test took it down; the test runs again in a fresh one.
            if (firstInContainer)
            {
                ContainerPerTest($"a container of {ImageName} did not stay alive ({Tail(outcome.Stderr)})");
                return await RunAloneAsync(test, ct, output);
            }
        }
    }

    private async Task<bool> StartAsync(CancellationToken ct)
    {
        var keepAlive = _item.Tests.Aggregate(KeepAliveMargin, (sum, t) => sum + t.Timeout);
        var name = _delivery.ContainerName("test", ++_started);
        _container = await _engine.StartTestContainerAsync(new TestContainerRequest(Image, _item.Platform, name, keepAlive, Gpu), ct);
        _execs = 0;
        if (_container is null) ContainerPerTest($"{ImageName} has no sleep to keep a container alive");
        return _container is not null;
    }

    private void ContainerPerTest(string reason)
    {
        _containerPerTest = true;
        ContainerPerTestReason = reason + ": every test runs in a container of its own";
    }

    private async Task<(ContainerRunOutcome Outcome, string Where)> RunAloneAsync(TestCase test, CancellationToken ct, TestOutputSpools? output)
    {
        var name = _delivery.ContainerName("run", ++_alone);
        var outcome = await _engine.RunAsync(new ContainerRunRequest(Image, test.Run, _item.Platform, test.Timeout, name, Gpu) { Output = output }, ct);
        return (outcome, $"own container {name}");
    }

    private bool Gpu => _item.Accelerator == "gpu";

    private async Task DiscardAsync()
    {
        if (_container is { } container) await _engine.RemoveContainerAsync(container.Name, CancellationToken.None);
        _container = null;
    }

    private static string Tail(string text) => text.Trim() is var t && t.Length > 200 ? t[^200..] : t;

    public async ValueTask DisposeAsync() => await DiscardAsync();
}
