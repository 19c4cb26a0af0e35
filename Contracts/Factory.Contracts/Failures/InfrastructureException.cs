namespace Factory.Contracts.Failures;

/// <summary>
/// Our infrastructure broke (engine, registry, storage, broker): never a result about the user's build.
/// <see cref="Service"/> names what is down so operators know where to look.
/// </summary>
public class InfrastructureException(string service, string message, Exception? inner = null)
    : Exception($"{service}: {message}", inner)
{
    public string Service { get; } = service;
}
