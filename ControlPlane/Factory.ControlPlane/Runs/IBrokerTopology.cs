namespace Factory.ControlPlane.Runs;

/// <summary>Declares, before anything is sent, every queue and exchange the fleet's messages go through.</summary>
public interface IBrokerTopology
{
    Task DeclareAsync(CancellationToken ct);
}
