using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Factory.Messaging;

/// <summary>Which transport the services talk over: "rabbitmq" (distributed) or "inmemory" (one process).</summary>
public sealed class BusOptions
{
    public const string Section = "Bus";
    public const string RabbitMqTransport = "rabbitmq";
    public const string InMemoryTransport = "inmemory";
    public static readonly IReadOnlyList<string> Transports = [RabbitMqTransport, InMemoryTransport];

    /// <summary>Where an operator finds the broker's credentials on a machine set up with deploy/local/up.sh.</summary>
    private const string CredentialsHint = "deploy/local/up.sh writes them to /etc/factory/credentials/factory.env as FACTORY_AMQP_USER and FACTORY_AMQP_PASSWORD; deploy/local/fleet.sh passes them on";

    public string Transport { get; set; } = RabbitMqTransport;
    public RabbitMqOptions RabbitMq { get; set; } = new();

    public bool UsesInMemory => Transport.Equals(InMemoryTransport, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The Bus section of a service's configuration (defaults when absent), checked at start: a value outside its
    /// accepted set, a value of the wrong type or a key nothing reads is an <see cref="OptionsValidationException"/>
    /// naming the key, never a silent default (a typo in Bus:Transport used to mean RabbitMQ).
    /// </summary>
    public static BusOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        BusOptions options;
        try
        {
            options = section.Get<BusOptions>() ?? new BusOptions();
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key and the type it expected ("Bus:RabbitMq:Port" ... "System.UInt16").
            throw new OptionsValidationException(Section, typeof(BusOptions), [ex.Message]);
        }
        var failures = options.Problems().Concat(ConfigurationKeys.Unknown(section, typeof(BusOptions))
            .Select(key => $"{key} is not a setting (known: {string.Join(", ", ConfigurationKeys.Known(Section, typeof(BusOptions)))})")).ToList();
        if (failures.Count > 0) throw new OptionsValidationException(Section, typeof(BusOptions), failures);
        return options;
    }

    public IEnumerable<string> Problems()
    {
        if (!Transports.Contains(Transport, StringComparer.OrdinalIgnoreCase))
            yield return $"{Section}:Transport is '{Transport}': expected one of {string.Join(", ", Transports)}";
        if (UsesInMemory) yield break;
        if (string.IsNullOrWhiteSpace(RabbitMq.Host)) yield return $"{Section}:RabbitMq:Host is empty: expected the broker's host name or address";
        if (RabbitMq.Port == 0) yield return $"{Section}:RabbitMq:Port is 0: expected the broker's AMQP port (5672)";
        if (string.IsNullOrEmpty(RabbitMq.VirtualHost)) yield return $"{Section}:RabbitMq:VirtualHost is empty: expected a virtual host such as /";
        if (string.IsNullOrEmpty(RabbitMq.Username)) yield return $"{Section}:RabbitMq:Username is not set: expected the broker's user ({CredentialsHint})";
        if (string.IsNullOrEmpty(RabbitMq.Password)) yield return $"{Section}:RabbitMq:Password is not set: expected the broker user's password ({CredentialsHint})";
    }
}
