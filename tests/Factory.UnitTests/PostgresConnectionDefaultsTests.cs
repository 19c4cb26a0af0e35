using Factory.Records;
using Npgsql;

namespace Factory.UnitTests;

/// <summary>Pooled connections are not reset and repeated statements are prepared, unless the connection string chooses.</summary>
public sealed class PostgresConnectionDefaultsTests
{
    [Fact]
    public void A_string_that_chooses_nothing_gets_no_reset_auto_prepare_and_no_tls_on_loopback()
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply("Host=127.0.0.1;Username=u;Password=p;Database=d;Maximum Pool Size=40"));
        Assert.True(applied.NoResetOnClose);
        Assert.Equal(PostgresConnectionDefaults.MaxAutoPrepare, applied.MaxAutoPrepare);
        Assert.Equal(SslMode.Disable, applied.SslMode);
        Assert.Equal(("127.0.0.1", "u", "p", "d", 40), (applied.Host, applied.Username, applied.Password, applied.Database, applied.MaxPoolSize));
    }

    [Theory]
    [InlineData("Host=127.0.0.1;No Reset On Close=false;Max Auto Prepare=0")]
    [InlineData("Host=127.0.0.1;NoResetOnClose=false;MaxAutoPrepare=0")]
    public void What_the_string_chooses_is_kept(string connectionString)
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply(connectionString));
        Assert.False(applied.NoResetOnClose);
        Assert.Equal(0, applied.MaxAutoPrepare);
    }
}
