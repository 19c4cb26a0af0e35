using System.Diagnostics;
using System.Net.Sockets;
using Factory.Contracts.Failures;
using Factory.Executor;
using Factory.Executor.Engine;
using Factory.IntegrationTests.Fleet;

namespace Factory.IntegrationTests;

/// <summary>
/// A command about to start (`factory run`, `prewarm`) waits for an engine that is restarting: its socket file is there
/// but nothing answers, as when dockerd died and deploy/local/supervise.sh is starting it again. The engine is the real
/// one behind a proxy socket, which plays the restart (a socket file left behind, then the engine answering there); it
/// only pings, so it runs beside the engine tests.
/// </summary>
public sealed class WaitingForARestartingEngine : IAsyncLifetime
{
    private readonly UnixSocketProxy _proxy = new();
    private readonly List<string> _warnings = [];
    private Socket? _dead;

    public Task InitializeAsync() => Task.CompletedTask;

    // IAsyncLifetime, not IAsyncDisposable: xUnit v2 never calls the latter on a test class (TestClassDisposalTests).
    public async Task DisposeAsync()
    {
        _dead?.Dispose();
        await _proxy.DisposeAsync();
        File.Delete(_proxy.Path);
    }

    private DockerEngine Engine() => new(new ExecutorOptions { DockerHost = $"unix://{_proxy.Path}" });

    /// <summary>
    /// A socket file that refuses connections, as one a dead dockerd left behind does: bound but never listening (.NET
    /// removes the file when a bound socket is closed, so it is held open until the engine "comes back").
    /// </summary>
    private void LeaveADeadSocket()
    {
        _dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _dead.Bind(new UnixDomainSocketEndPoint(_proxy.Path));
    }

    /// <summary>The engine answering again at the same address.</summary>
    private void ComeBack()
    {
        _dead?.Dispose();
        _proxy.Start();
    }

    [Fact]
    public async Task An_engine_that_answers_again_within_the_patience_is_waited_for()
    {
        LeaveADeadSocket();
        using var engine = Engine();
        var clock = Stopwatch.StartNew();

        var waiting = engine.WaitUntilAvailableAsync(TimeSpan.FromSeconds(30), _warnings.Add, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(waiting.IsCompleted, "it did not wait for the engine");
        ComeBack();
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(25)); // the 1 s above, less a timer's early milliseconds
        var warning = Assert.Single(_warnings);
        Assert.Contains("docker engine: not reachable", warning);
        Assert.Contains($"its socket {_proxy.Path} is there, so it may be restarting: waiting up to 30 s", warning);
    }

    [Fact]
    public async Task An_engine_that_stays_away_fails_as_infrastructure_once_the_patience_is_spent()
    {
        LeaveADeadSocket();
        using var engine = Engine();
        var clock = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<InfrastructureException>(() =>
            engine.WaitUntilAvailableAsync(TimeSpan.FromSeconds(2), _warnings.Add, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        // The patience, give or take a timer firing a hair early (the last wait is its rest, then one last try).
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"gave up after {clock.Elapsed}");
        Assert.Equal("docker engine", failure.Service);
        Assert.Contains("not reachable", failure.Message);
        Assert.Single(_warnings);
    }

    [Fact]
    public async Task No_socket_file_fails_at_once_with_nothing_to_wait_for()
    {
        using var engine = Engine();
        var clock = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<InfrastructureException>(() =>
            engine.WaitUntilAvailableAsync(TimeSpan.FromSeconds(30), _warnings.Add, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains("start it with deploy/local/up.sh", failure.Message);
        Assert.Empty(_warnings);
    }
}
