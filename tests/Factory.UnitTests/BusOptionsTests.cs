using Factory.ControlPlane;
using Factory.Executor;
using Factory.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Factory.UnitTests;

/// <summary>The Bus section is checked at start: a typo is an error naming the key and what it accepts, never a silent RabbitMQ.</summary>
public sealed class BusOptionsTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void Bus_settings_with_only_the_credentials_mean_rabbitmq_on_the_local_broker()
    {
        var options = BusOptions.From(Configuration(("Bus:RabbitMq:Username", "factory"), ("Bus:RabbitMq:Password", "secret")));

        Assert.Equal(BusOptions.RabbitMqTransport, options.Transport);
        Assert.Equal(("127.0.0.1", "factory", "secret"), (options.RabbitMq.Host, options.RabbitMq.Username, options.RabbitMq.Password));
    }

    [Fact]
    public void Rabbitmq_without_credentials_is_an_error_naming_both_settings_and_where_they_are_never_guest()
    {
        var error = Assert.Throws<OptionsValidationException>(() => BusOptions.From(Configuration()));

        Assert.Contains("Bus:RabbitMq:Username is not set", error.Message);
        Assert.Contains("Bus:RabbitMq:Password is not set", error.Message);
        Assert.Contains("/etc/factory/credentials/factory.env", error.Message);
        Assert.Equal(("", ""), (new RabbitMqOptions().Username, new RabbitMqOptions().Password));
    }

    [Fact]
    public void The_in_memory_transport_needs_no_broker_credentials()
    {
        Assert.Empty(BusOptions.From(Configuration(("Bus:Transport", "inmemory"))).Problems());
    }

    [Theory]
    [InlineData("inmemory")]
    [InlineData("InMemory")]
    [InlineData("rabbitmq")]
    public void Each_accepted_transport_is_taken_whatever_its_case(string transport)
    {
        Assert.Equal(transport, BusOptions.From(Configuration(("Bus:Transport", transport), ("Bus:RabbitMq:Username", "u"), ("Bus:RabbitMq:Password", "p"))).Transport);
    }

    [Fact]
    public void A_misspelt_transport_is_an_error_naming_the_key_and_the_accepted_values()
    {
        var error = Assert.Throws<OptionsValidationException>(() => BusOptions.From(Configuration(("Bus:Transport", "rabbtmq"))));

        Assert.Contains("Bus:Transport is 'rabbtmq': expected one of rabbitmq, inmemory", error.Message);
    }

    [Fact]
    public void A_misspelt_key_is_an_error_naming_it_and_the_known_keys()
    {
        var error = Assert.Throws<OptionsValidationException>(() => BusOptions.From(Configuration(("Bus:Transprot", "inmemory"), ("Bus:RabbitMq:Hots", "broker"))));

        Assert.Contains("Bus:Transprot is not a setting", error.Message);
        Assert.Contains("Bus:RabbitMq:Hots is not a setting", error.Message);
        Assert.Contains("Bus:Transport, Bus:RabbitMq:Host, Bus:RabbitMq:Port", error.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_an_error_naming_the_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => BusOptions.From(Configuration(("Bus:RabbitMq:Port", "amqp"))));

        Assert.Contains("Bus:RabbitMq:Port", error.Message);
    }

    [Fact]
    public void An_empty_broker_host_is_an_error_for_rabbitmq_but_not_for_inmemory()
    {
        Assert.Contains("Bus:RabbitMq:Host is empty", Assert.Throws<OptionsValidationException>(() => BusOptions.From(Configuration(("Bus:RabbitMq:Host", "")))).Message);
        Assert.Equal(BusOptions.InMemoryTransport, BusOptions.From(Configuration(("Bus:Transport", "inmemory"), ("Bus:RabbitMq:Host", ""))).Transport);
    }

    [Fact]
    public void The_control_plane_refuses_to_compose_with_a_misspelt_transport()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "rabitmq",
            ["ConnectionStrings:Factory"] = "Host=127.0.0.1;Database=unused",
        });

        var error = Assert.Throws<OptionsValidationException>(() => builder.AddControlPlaneServices());

        Assert.Contains("Bus:Transport is 'rabitmq'", error.Message);
    }

    [Fact]
    public async Task The_executor_refuses_to_start_with_a_misspelt_transport()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "rabitmq",
            ["Executor:StateDirectory"] = Path.Combine(Path.GetTempPath(), "factory-bus-" + Guid.NewGuid().ToString("N")),
        });

        var refusal = await builder.AddExecutorServiceAsync();

        Assert.Contains("Bus:Transport is 'rabitmq': expected one of rabbitmq, inmemory", refusal);
    }
}
