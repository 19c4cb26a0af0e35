namespace Factory.ControlPlane.Runs;

/// <summary>The pools a plan may be admitted for: an item for a pool outside them is refused at intake, not left waiting.</summary>
public interface IServedPools
{
    Task<IReadOnlyCollection<string>> ListAsync(CancellationToken ct);
}
