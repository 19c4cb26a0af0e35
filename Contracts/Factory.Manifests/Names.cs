using System.Text.RegularExpressions;
using NuGet.Versioning;

namespace Factory.Manifests;

/// <summary>What names and versions may look like: they become paths, image tags and key input.</summary>
public static partial class Names
{
    public static readonly IReadOnlyList<string> KnownPlatforms = ["linux/amd64", "linux/arm64"];
    public static readonly IReadOnlyList<string> KnownAccelerators = ["gpu"];

    // \z, not $: in .NET "$" also matches before a final newline, which would let "core\n" through.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9_.-]{0,62}\z")]
    private static partial Regex SafeName();

    public static bool IsSafeName(string? name) => name is not null && SafeName().IsMatch(name) && !name.Contains("..");

    public const string SafeNameRule = "lower-case letters, digits, '.', '_' or '-' (no '/', '..', spaces or newlines), at most 63 characters";

    public static bool IsSemVer(string? version) =>
        version is not null && SemanticVersion.TryParse(version, out _);

    public static string Quote(string value) =>
        "'" + value.Replace("\n", "\\n").Replace("\r", "\\r") + "'";
}
