using Factory.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Factory.UnitTests;

public sealed class BusTransportTests
{
    [Theory]
    [InlineData("inmemory")]
    [InlineData("rabbitmq")]
    public void The_shared_transport_setup_turns_MassTransit_usage_telemetry_off(string transport)
    {
        var services = new ServiceCollection();
        services.AddMassTransit(x => x.UseFactoryTransport(new BusOptions { Transport = transport, RabbitMq = { Username = "factory", Password = "secret" } }));
        using var provider = services.BuildServiceProvider();

        Assert.False(provider.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }
}
