using System.Net;
using System.Text.Json;
using Factory.IntegrationTests.Api;

namespace Factory.IntegrationTests.Health;

/// <summary>
/// Issue 10's acceptance: /health/ready is 503 while PostgreSQL is stopped, naming the database, and 200 again once it
/// is back. The control plane runs on a PostgreSQL server of its own (the shared one on 5432 is never stopped).
/// </summary>
public sealed class ReadinessFollowsTheDatabase : IAsyncLifetime
{
    private readonly ThrowawayPostgresCluster _postgres = new();
    private ControlPlaneApp? _app;

    public async Task InitializeAsync()
    {
        await _postgres.InitialiseAsync();
        _app = ControlPlaneApp.On(_postgres.ConnectionString);
        await _app.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task The_control_plane_is_not_ready_while_its_database_is_stopped_and_ready_again_once_it_starts()
    {
        var ready = await ReadyEndpoint.UntilAsync(_app!.Http, HttpStatusCode.OK);
        Assert.True(ready.Met, $"ready at first: {ready.Answer}");
        Assert.Equal("healthy", ReadyEndpoint.Check(ready.Answer.Body, "database").GetProperty("status").GetString());

        await _postgres.StopAsync();
        var stopped = await ReadyEndpoint.UntilAsync(_app!.Http, HttpStatusCode.ServiceUnavailable);
        Assert.True(stopped.Met, $"not ready while PostgreSQL is stopped: {stopped.Answer}");
        var database = ReadyEndpoint.Check(stopped.Answer.Body, "database");
        Assert.Equal("unhealthy", database.GetProperty("status").GetString());
        Assert.Contains($"PostgreSQL at 127.0.0.1:{_postgres.Port}", database.GetProperty("description").GetString());
        Assert.Equal("unhealthy", JsonDocument.Parse(stopped.Answer.Body).RootElement.GetProperty("status").GetString());
        // Liveness asks nothing of the database: the process is fine, restarting it would not help.
        Assert.Equal(HttpStatusCode.OK, (await _app!.Http.GetAsync("/health/live")).StatusCode);

        await _postgres.StartAsync();
        var back = await ReadyEndpoint.UntilAsync(_app!.Http, HttpStatusCode.OK);
        Assert.True(back.Met, $"ready again once PostgreSQL is back: {back.Answer}");
        Assert.Equal("healthy", ReadyEndpoint.Check(back.Answer.Body, "database").GetProperty("status").GetString());
    }
}
