using System.Text.RegularExpressions;

namespace Factory.Manifests;

/// <summary>An image reference: [registry/]repository[:tag][@sha256:digest].</summary>
public sealed partial record ImageReference(string? Registry, string Repository, string? Tag, string? Digest)
{
    [GeneratedRegex(@"^(?:(?<registry>[a-zA-Z0-9.-]+(?::\d+)?)/)?(?<repo>[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$")]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out ImageReference reference)
    {
        reference = null!;
        var match = Pattern().Match(text);
        if (!match.Success) return false;
        var registry = match.Groups["registry"].Success ? match.Groups["registry"].Value : null;
        var repo = match.Groups["repo"].Value;
        // "a/b" has no registry unless the first part looks like a host (has '.' or ':' or is localhost).
        if (registry is not null && !registry.Contains('.') && !registry.Contains(':') && registry != "localhost")
        {
            repo = registry + "/" + repo;
            registry = null;
        }
        var tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null;
        var digest = match.Groups["digest"].Success ? match.Groups["digest"].Value : null;
        if (tag is null && digest is null) tag = "latest";
        reference = new ImageReference(registry, repo, tag, digest);
        return true;
    }

    public ImageReference WithRegistry(string defaultRegistry) => Registry is null ? this with { Registry = defaultRegistry } : this;

    public override string ToString() =>
        (Registry is null ? "" : Registry + "/") + Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
}
