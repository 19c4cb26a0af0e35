namespace Factory.ControlPlane.Review;

/// <summary>A cell's newest result on one side of a comparison.</summary>
public sealed record CellResult(Guid BuildId, string IdempotencyKey, string Status, string? Reason, DateTimeOffset RecordedAt);
