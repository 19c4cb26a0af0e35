using Factory.Manifests;

namespace Factory.Planning.Registry;

/// <summary>Resolves an image reference to the digest of its manifest for one platform.</summary>
public interface IBaseImageResolver
{
    Task<ResolvedImage> ResolveAsync(ImageReference reference, string platform, CancellationToken ct);
}
