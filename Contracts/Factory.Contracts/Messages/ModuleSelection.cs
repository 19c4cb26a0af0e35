namespace Factory.Contracts.Messages;

/// <summary>A module as chosen for one combination: slot, version and the content digest it was validated with.</summary>
public sealed record ModuleSelection
{
    public required string Slot { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string ContentDigest { get; init; }
    public Manifests.ModuleOwner? Owner { get; init; }
    /// <summary>The module declares build.network: its RUN steps get the network (see Module.BuildNetwork).</summary>
    public bool BuildNetwork { get; init; }
}
