namespace Factory.ControlPlane.Registry;

public sealed class RegistryOptions
{
    /// <summary>host:port of the OCI registry that holds base images, built images and build cache.</summary>
    public string Address { get; set; } = "127.0.0.1:5000";
}
