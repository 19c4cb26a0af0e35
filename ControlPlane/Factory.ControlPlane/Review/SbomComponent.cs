namespace Factory.ControlPlane.Review;

/// <summary>A component of a CycloneDX SBOM, as a summary or a diff shows it.</summary>
public sealed record SbomComponent(string Type, string Name, string? Version, string? Purl)
{
    /// <summary>What stays the same across versions: the purl without its version and qualifiers, else type and name.</summary>
    public string Identity => Purl is { } purl ? purl.Split('?')[0].Split('@')[0] : $"{Type}:{Name}";
}
