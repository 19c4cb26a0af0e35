using Microsoft.Extensions.Configuration;

namespace Factory.Messaging;

public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    // No default user: the broker's are this install's (deploy/local/up.sh makes them; guest is deleted), so a service
    // without them refuses to start naming the setting instead of trying a password everyone knows.
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";

    public override string ToString() => $"amqp://{Username}@{Host}:{Port}/{Uri.EscapeDataString(VirtualHost)}";
}
