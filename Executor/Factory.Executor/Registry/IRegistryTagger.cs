namespace Factory.Executor.Registry;

/// <summary>Names an image that is already in the registry, without pulling or pushing it through the engine.</summary>
public interface IRegistryTagger
{
    /// <summary>
    /// Tags the manifest <paramref name="digest"/> of <paramref name="fromRepository"/> as <paramref name="toRepository"/>:<paramref name="tag"/>
    /// in the executor's registry. The manifest's bytes, and so its digest, stay the same; its blobs are mounted, not uploaded.
    /// </summary>
    Task TagAsync(string fromRepository, string digest, string toRepository, string tag, CancellationToken ct);
}
