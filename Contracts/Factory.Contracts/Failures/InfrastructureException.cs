namespace Factory.Contracts.Failures;

/// <summary>
/// Our infrastructure broke (engine, registry, storage, broker): never a result about the user's build.
/// <see cref="Service"/> names what is down so operators know where to look.
/// </summary>
public class InfrastructureException(string service, string message, Exception? inner = null)
    : Exception($"{service}: {message}", inner)
{
    public string Service { get; } = service;

    /// <summary>
    /// Whether another try may succeed (the service is away or overloaded). False when trying again changes
    /// nothing (credentials refused, a request the service rejects): <see cref="FailureClassifier"/> gives up at once.
    /// </summary>
    public bool Transient { get; init; } = true;
}
