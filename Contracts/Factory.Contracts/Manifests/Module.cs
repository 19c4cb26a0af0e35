namespace Factory.Contracts.Manifests;

/// <summary>manifests/modules/&lt;name&gt;/&lt;version&gt;/: metadata, a Dockerfile fragment and its files.</summary>
public sealed record Module
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required ModuleOwner Owner { get; init; }
    public string Description { get; init; } = "";
    /// <summary>The fragment as written in the module's Dockerfile.</summary>
    public required string Fragment { get; init; }
    /// <summary>sha256 over the module directory's files (see ModuleContentDigest).</summary>
    public required string ContentDigest { get; init; }
    /// <summary>Absolute path of the module version's directory.</summary>
    public required string Directory { get; init; }
    /// <summary>
    /// `build: {network: true}` in module.yaml: its RUN steps need the network (a package mirror). A build gets the
    /// network only when one of its modules declares it; otherwise it runs with none.
    /// </summary>
    public bool BuildNetwork { get; init; }
}
