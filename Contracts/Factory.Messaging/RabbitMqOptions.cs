using Microsoft.Extensions.Configuration;

namespace Factory.Messaging;

public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";

    public override string ToString() => $"amqp://{Username}@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}";
}
