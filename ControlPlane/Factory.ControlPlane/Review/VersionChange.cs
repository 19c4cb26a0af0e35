namespace Factory.ControlPlane.Review;

/// <summary>A component present on both sides with other versions.</summary>
public sealed record VersionChange(string Type, string Name, string? From, string? To);
