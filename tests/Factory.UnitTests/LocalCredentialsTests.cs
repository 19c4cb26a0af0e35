using Factory.Testing;

namespace Factory.UnitTests;

/// <summary>The tests read up.sh's credentials file in one place; a file without a secret says which one and what to do.</summary>
public sealed class LocalCredentialsTests
{
    private const string File = """
        # Written by deploy/local/up.sh
        FACTORY_AMQP_USER=factory
        FACTORY_AMQP_PASSWORD=a1b2
        FACTORY_PG_USER=factory
        FACTORY_PG_PASSWORD=c3=d4
        FACTORY_S3_ACCESS_KEY=ABCD
        FACTORY_S3_SECRET_KEY=e5f6
        """;

    [Fact]
    public void The_file_of_up_sh_gives_each_secret_and_the_settings_the_services_read()
    {
        var credentials = LocalCredentials.Parse(File, "/etc/factory/credentials/factory.env");

        Assert.Equal(new LocalCredentials("factory", "a1b2", "factory", "c3=d4", "ABCD", "e5f6"), credentials);
        Assert.Equal("Host=127.0.0.1;Username=factory;Password=c3=d4;Database=db1", credentials.PostgresConnectionString("db1"));
        Assert.Equal(("factory", "a1b2"), (credentials.BusEnvironment["Bus__RabbitMq__Username"], credentials.BusEnvironment["Bus__RabbitMq__Password"]));
        Assert.DoesNotContain("a1b2", credentials.ToString());
    }

    [Fact]
    public void A_missing_secret_is_an_error_naming_the_key_and_the_file()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LocalCredentials.Parse(File.Replace("FACTORY_PG_PASSWORD=c3=d4", "FACTORY_PG_PASSWORD="), "/x/factory.env"));

        Assert.Equal("/x/factory.env: FACTORY_PG_PASSWORD is missing or empty: rerun deploy/local/up.sh, which generates it", error.Message);
    }

    [Fact]
    public void An_unreadable_file_says_to_run_up_sh()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LocalCredentials.Load("/nonexistent/factory.env"));

        Assert.Contains("cannot read the service credentials /nonexistent/factory.env", error.Message);
        Assert.Contains("run deploy/local/up.sh as root", error.Message);
    }
}
