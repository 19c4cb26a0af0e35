using Npgsql;

namespace Factory.IntegrationTests.Compose;

/// <summary>
/// The PostgreSQL image compose's "infra" profile runs (deploy/images/postgresql.Dockerfile), next to the host's server
/// on a port of its own: its first start makes the role and database it is given, and nobody logs in over TCP without
/// that password; it does not start without one.
/// </summary>
public sealed class PostgresImageTests : IAsyncLifetime
{
    private readonly InfraContainer _container = new("postgresql");

    public Task InitializeAsync() => _container.BuildAsync();

    public async Task DisposeAsync() => await _container.DisposeAsync();

    [Fact]
    public async Task Its_first_start_makes_the_given_role_and_database_and_no_password_less_login()
    {
        var port = LocalFleet.FreePort();
        var user = $"it_{Guid.NewGuid():N}"[..12];
        var password = Guid.NewGuid().ToString("N");
        var started = await _container.RunAsync(
            "--detach", "--network", "host", "--env", $"PGPORT={port}",
            "--env", $"POSTGRES_USER={user}", "--env", $"POSTGRES_DB={user}", "--env", $"POSTGRES_PASSWORD={password}");
        Assert.True(started.ExitCode == 0, started.Combined);

        var login = await Poll.UntilAsync(() => TryLoginAsync(port, user, password), outcome => outcome == "accepted",
            TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(500));

        Assert.True(login.Met, $"{user} never logged in (last: {login.Answer})\n{await _container.LogsAsync()}");
        Assert.Equal("refused", await TryLoginAsync(port, user, "not-the-password"));
        Assert.Equal("refused", await TryLoginAsync(port, user, null));
        Assert.Equal("refused", await TryLoginAsync(port, "postgres", null));
        Assert.Equal("refused", await TryLoginAsync(port, "postgres", "postgres"));
        // The role may create databases, as the tests' throwaway databases need.
        await using var data = NpgsqlDataSource.Create(ConnectionString(port, user, password));
        await using var create = data.CreateCommand($"CREATE DATABASE {user}_x");
        await create.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Without_a_password_it_does_not_start_and_says_which_setting_is_missing()
    {
        var run = await _container.RunAsync("--network", "none");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("POSTGRES_PASSWORD is required (no default password)", run.Combined);
    }

    private static string ConnectionString(int port, string user, string? password) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = user, Password = password, Database = "postgres", Timeout = 5,
            SslMode = SslMode.Disable, Pooling = false,
        }.ConnectionString;

    /// <summary>"accepted", "refused" (the server answered and said no), or "down: ..." (nothing to talk to yet).</summary>
    private static async Task<string> TryLoginAsync(int port, string user, string? password)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString(port, user, password));
            await connection.OpenAsync();
            return "accepted";
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            return "refused";
        }
        catch (NpgsqlException e) when (password is null && e.Message.Contains("password", StringComparison.OrdinalIgnoreCase))
        {
            // The server asked for a password and none was given: Npgsql refuses before sending anything.
            return "refused";
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            return $"down: {e.GetBaseException().Message}";
        }
    }

}
