namespace Factory.Contracts.Health;

/// <summary>
/// One thing a host depends on (the database, the evidence store, the engine), asked whether it answers now. A host's
/// /health/ready runs every registered probe, cached and time-bounded (Factory.ServiceDefaults.Readiness.CachedProbe),
/// so a probe may do one real round trip but should do no more.
/// </summary>
public interface IReadinessProbe
{
    /// <summary>The check's name in /health/ready ("database", "evidence", "engine", "manifests").</summary>
    string Name { get; }

    /// <summary>Null when ready; otherwise why not, naming what was asked ("PostgreSQL at 127.0.0.1:5432: connection refused").</summary>
    Task<string?> ProbeAsync(CancellationToken ct);
}
