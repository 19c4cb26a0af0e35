using Factory.Manifests;

namespace Factory.Executor.Registry;

/// <summary>Image references in one registry: "127.0.0.1:5000/factory/x@sha256:…" is the repository "factory/x" there.</summary>
public static class RegistryRepository
{
    public static bool IsIn(string image, string registry) =>
        ImageReference.TryParse(image, out var reference) && reference.Registry == registry;

    /// <summary>
    /// Tags <paramref name="image"/> (registry/repository@digest) as <paramref name="target"/> (registry/repository:tag),
    /// both in <paramref name="registry"/>; returns the target as registry/repository@digest, the same digest.
    /// </summary>
    public static async Task<string> TagAsync(this IRegistryTagger tagger, string image, string target, string registry, CancellationToken ct)
    {
        if (!ImageReference.TryParse(image, out var from) || from.Registry != registry || from.Digest is null)
            throw new ArgumentException($"{image} is not an image by digest in the registry {registry}", nameof(image));
        if (!ImageReference.TryParse(target, out var to) || to.Registry != registry || to.Tag is null || to.Digest is not null)
            throw new ArgumentException($"{target} is not a tag in the registry {registry}", nameof(target));
        await tagger.TagAsync(from.Repository, from.Digest, to.Repository, to.Tag, ct);
        return $"{registry}/{to.Repository}@{from.Digest}";
    }
}
