using Factory.Records;
using Npgsql;

namespace Factory.UnitTests;

/// <summary>No TLS to a PostgreSQL on this host unless the connection string asks for it; any other host keeps Npgsql's default.</summary>
public sealed class LoopbackPostgresTests
{
    [Theory]
    [InlineData("Host=127.0.0.1;Username=factory;Password=x;Database=factory")]
    [InlineData("Host=localhost;Port=5433;Username=factory;Password=x")]
    [InlineData("Host=::1;Username=factory;Password=x")]
    [InlineData("Host=/var/run/postgresql;Username=factory")]
    [InlineData("Host=127.0.0.1:5432,localhost:5433;Username=factory")]
    public void A_loopback_server_without_a_chosen_ssl_mode_gets_no_tls(string connectionString) =>
        Assert.Equal(SslMode.Disable, new NpgsqlConnectionStringBuilder(LoopbackPostgres.WithoutTlsOnLoopback(connectionString)).SslMode);

    [Theory]
    [InlineData("Host=db.example.org;Username=factory;Password=x")]
    [InlineData("Host=10.0.0.5;Username=factory;Password=x")]
    [InlineData("Host=127.0.0.1,db.example.org;Username=factory")]
    public void Another_host_is_left_as_it_is(string connectionString) =>
        Assert.Equal(connectionString, LoopbackPostgres.WithoutTlsOnLoopback(connectionString));

    [Theory]
    [InlineData("Host=127.0.0.1;SSL Mode=Require;Trust Server Certificate=true", SslMode.Require)]
    [InlineData("Host=localhost;SslMode=VerifyFull", SslMode.VerifyFull)]
    public void A_chosen_ssl_mode_is_kept_on_loopback(string connectionString, SslMode expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(LoopbackPostgres.WithoutTlsOnLoopback(connectionString)).SslMode);

    [Fact]
    public void The_other_settings_survive()
    {
        var rewritten = new NpgsqlConnectionStringBuilder(LoopbackPostgres.WithoutTlsOnLoopback("Host=127.0.0.1;Username=u;Password=p;Database=d;Maximum Pool Size=40"));
        Assert.Equal(("127.0.0.1", "u", "p", "d", 40), (rewritten.Host, rewritten.Username, rewritten.Password, rewritten.Database, rewritten.MaxPoolSize));
    }
}
