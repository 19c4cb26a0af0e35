using Microsoft.Extensions.Configuration;

namespace Factory.Messaging;

/// <summary>Which transport the services talk over: "rabbitmq" (distributed) or "inmemory" (one process).</summary>
public sealed class BusOptions
{
    public const string Section = "Bus";
    public string Transport { get; set; } = "rabbitmq";
    public RabbitMqOptions RabbitMq { get; set; } = new();

    /// <summary>The Bus section of a service's configuration (defaults when absent).</summary>
    public static BusOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<BusOptions>() ?? new BusOptions();
}
