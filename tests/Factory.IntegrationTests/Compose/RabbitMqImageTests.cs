using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Factory.IntegrationTests.Compose;

/// <summary>
/// The RabbitMQ image compose's "infra" profile runs (deploy/images/rabbitmq.Dockerfile), next to the host's broker on
/// ports of its own: its first start makes the user it is given and no guest, and it does not start without one.
/// </summary>
public sealed class RabbitMqImageTests : IAsyncLifetime
{
    private readonly InfraContainer _container = new("rabbitmq");

    public Task InitializeAsync() => _container.BuildAsync();

    public async Task DisposeAsync() => await _container.DisposeAsync();

    [Fact]
    public async Task Its_first_start_makes_the_given_user_an_administrator_and_lets_no_guest_in()
    {
        var (amqp, epmd, distribution) = (LocalFleet.FreePort(), LocalFleet.FreePort(), LocalFleet.FreePort());
        var user = $"it-{Guid.NewGuid():N}"[..12];
        var password = Guid.NewGuid().ToString("N");
        var started = await _container.RunAsync(
            "--detach", "--network", "host",
            "--env", $"RABBITMQ_NODE_PORT={amqp}", "--env", $"ERL_EPMD_PORT={epmd}", "--env", $"RABBITMQ_DIST_PORT={distribution}",
            "--env", $"RABBITMQ_DEFAULT_USER={user}", "--env", $"RABBITMQ_DEFAULT_PASS={password}");
        Assert.True(started.ExitCode == 0, started.Combined);

        var login = await Poll.UntilAsync(() => TryLoginAsync(amqp, user, password), outcome => outcome == "accepted",
            TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(500));

        Assert.True(login.Met, $"{user} never logged in (last: {login.Answer})\n{await _container.LogsAsync()}");
        Assert.Equal("refused", await TryLoginAsync(amqp, "guest", "guest"));
        Assert.Equal("refused", await TryLoginAsync(amqp, user, "not-the-password"));
        // An administrator on "/": it may declare a queue there, as the control plane does at start.
        await using (var connection = await Factory(amqp, user, password).CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var queue = await channel.QueueDeclareAsync($"it-{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true);
            Assert.Equal(0u, queue.MessageCount);
        }
    }

    [Fact]
    public async Task Without_a_user_it_does_not_start_and_says_which_setting_is_missing()
    {
        var run = await _container.RunAsync("--network", "none", "--env", "RABBITMQ_DEFAULT_PASS=x");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("RABBITMQ_DEFAULT_USER is required (no guest)", run.Combined);
    }

    private static ConnectionFactory Factory(int port, string user, string password) =>
        new() { HostName = "127.0.0.1", Port = port, UserName = user, Password = password, RequestedConnectionTimeout = TimeSpan.FromSeconds(5) };

    /// <summary>"accepted", "refused" (the broker answered and said no), or "down: ..." (nothing to talk to yet).</summary>
    private static async Task<string> TryLoginAsync(int port, string user, string password)
    {
        try
        {
            await using var connection = await Factory(port, user, password).CreateConnectionAsync();
            return "accepted";
        }
        catch (BrokerUnreachableException e) when (e.InnerException is AuthenticationFailureException || e.InnerException?.InnerException is AuthenticationFailureException)
        {
            return "refused";
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or IOException)
        {
            return $"down: {e.GetBaseException().Message}";
        }
    }

}
