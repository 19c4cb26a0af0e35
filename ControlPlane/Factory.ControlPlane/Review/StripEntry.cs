namespace Factory.ControlPlane.Review;

/// <summary>One of a cell's recent results, for the strip of its last N.</summary>
public sealed record StripEntry(Guid BuildId, string Status, string? Reason, DateTimeOffset RecordedAt);
