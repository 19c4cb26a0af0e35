namespace Factory.Planning.Registry;

public sealed class RegistryOptions
{
    /// <summary>host:port of the OCI registry that holds base images, built images and build cache.</summary>
    public string Address { get; set; } = "127.0.0.1:5000";

    /// <summary>How long a resolved base image digest is used before the registry is asked again (CachingBaseImageResolver).</summary>
    public TimeSpan BaseDigestTtl { get; set; } = TimeSpan.FromSeconds(60);
}
