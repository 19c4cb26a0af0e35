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

public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";

    public override string ToString() => $"amqp://{Username}@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}";
}
