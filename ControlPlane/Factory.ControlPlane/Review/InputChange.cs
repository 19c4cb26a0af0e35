namespace Factory.ControlPlane.Review;

/// <summary>
/// One input that differs between two records of a manifest on a platform. Kind is one of <see cref="InputChanges"/>'s
/// constants; Name is the module slot for module changes; From or To is null when a slot was added or removed.
/// </summary>
public sealed record InputChange(string Kind, string? Name, string? From, string? To)
{
    public string Text => Kind switch
    {
        InputChanges.Module => $"module {Name} {From ?? "(none)"} → {To ?? "(none)"}",
        InputChanges.ModuleContent => $"module {Name} content {Short(From)} → {Short(To)}",
        InputChanges.BaseDigest => $"base digest {Short(From)} → {Short(To)}",
        InputChanges.TestSuite => $"test suite {Short(From)} → {Short(To)}",
        InputChanges.TemplateVersion => $"template version {From} → {To}",
        _ => $"{Kind} {From} → {To}",
    };

    private static string? Short(string? digest) =>
        digest is null ? "(none)" : digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length > 19 ? digest[..19] : digest.Length > 12 ? digest[..12] : digest;
}
