using Factory.Contracts.Failures;

namespace Factory.Executor;

/// <summary>
/// The one place that decides what is retried. Infrastructure (engine, registry, storage, I/O, network) is
/// retried with backoff; a failing build or test never reaches here, it is a result; anything else is a bug
/// or bad input and faults at once.
/// </summary>
public static class FailureClassifier
{
    public static bool IsRetryable(Exception exception) => exception switch
    {
        OperationCanceledException => false,
        InfrastructureException => true,
        IOException => true,
        HttpRequestException => true,
        TimeoutException => true,
        System.Net.Sockets.SocketException => true,
        MassTransit.ConnectionException or MassTransit.TransportException => true,
        _ when IsBrokerClientException(exception) => true,
        _ => exception.InnerException is { } inner && IsRetryable(inner),
    };

    /// <summary>How a work item that was given up on is labelled in its error file and dead-letter notice.</summary>
    public static string Classify(Exception exception) => exception switch
    {
        UnsupportedWorkItemException => "unsupported_message",
        _ when IsRetryable(exception) => "infrastructure",
        _ => "internal_error",
    };

    // The broker's client library signals a lost connection with its own exception types.
    private static bool IsBrokerClientException(Exception exception) =>
        exception.GetType().Namespace?.StartsWith("RabbitMQ.Client", StringComparison.Ordinal) == true;
}
