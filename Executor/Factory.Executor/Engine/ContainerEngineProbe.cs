using Factory.Contracts.Failures;
using Factory.Contracts.Health;

namespace Factory.Executor.Engine;

/// <summary>The engine this executor builds with answers (Docker: GET /_ping on its socket; no process is started).</summary>
public sealed class ContainerEngineProbe(IContainerEngine engine) : IReadinessProbe
{
    public string Name => "engine";

    public async Task<string?> ProbeAsync(CancellationToken ct)
    {
        try
        {
            await engine.EnsureAvailableAsync(ct);
            return null;
        }
        catch (InfrastructureException ex)
        {
            return ex.Message;
        }
    }
}
