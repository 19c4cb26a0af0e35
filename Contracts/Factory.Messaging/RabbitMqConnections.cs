using RabbitMQ.Client;

namespace Factory.Messaging;

/// <summary>Plain RabbitMQ.Client connections, for what the bus does not do (declaring ahead, reading queue depths).</summary>
public static class RabbitMqConnections
{
    public static Task<IConnection> OpenAsync(RabbitMqOptions options, string name, CancellationToken ct) =>
        new ConnectionFactory
        {
            HostName = options.Host,
            Port = options.Port,
            VirtualHost = options.VirtualHost,
            UserName = options.Username,
            Password = options.Password,
            ClientProvidedName = name,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
        }.CreateConnectionAsync(ct);
}
