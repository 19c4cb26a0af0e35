namespace Factory.Contracts.Failures;

/// <summary>
/// The one place that decides what is retried, by every bus endpoint (through the shared retry policy) and every
/// loop that waits for a service. Infrastructure (engine, registry, storage, database, broker, I/O, network) is
/// retried with backoff unless it says trying again changes nothing; a failing build or test never reaches here,
/// it is a result; anything else is a bug or bad input and faults at once. Adapters only translate their
/// provider's exceptions into <see cref="InfrastructureException"/>; they do not retry.
/// </summary>
public static class FailureClassifier
{
    // The bus library's own signals of a lost broker or transport (and the types derived from them), named here so
    // Contracts needs no package.
    private static readonly HashSet<string> BusTransportExceptions = new(StringComparer.Ordinal)
    {
        "MassTransit.ConnectionException",
        "MassTransit.TransportException",
        "MassTransit.TransportUnavailableException",
    };

    public static bool IsRetryable(Exception exception) => exception switch
    {
        OperationCanceledException => false,
        // A forged or tampered result stays forged: it is dead-lettered with its reason, never retried.
        UntrustedResultException => false,
        InfrastructureException infrastructure => infrastructure.Transient,
        IOException or HttpRequestException or TimeoutException or System.Net.Sockets.SocketException => true,
        _ when IsBrokerClientException(exception) || IsBusTransportException(exception) => true,
        _ => exception.InnerException is { } inner && IsRetryable(inner),
    };

    /// <summary>How a work item that was given up on is labelled (<see cref="FailureClassification"/>).</summary>
    public static string Classify(Exception exception) => exception switch
    {
        IClassifiedFailure classified => classified.Classification,
        InfrastructureException => FailureClassification.Infrastructure,
        _ when IsRetryable(exception) => FailureClassification.Infrastructure,
        _ => FailureClassification.InternalError,
    };

    // The broker's client library signals a lost connection with its own exception types.
    private static bool IsBrokerClientException(Exception exception) =>
        exception.GetType().Namespace?.StartsWith("RabbitMQ.Client", StringComparison.Ordinal) == true;

    private static bool IsBusTransportException(Exception exception)
    {
        for (var type = exception.GetType(); type is not null; type = type.BaseType)
            if (type.FullName is { } name && BusTransportExceptions.Contains(name)) return true;
        return false;
    }
}
