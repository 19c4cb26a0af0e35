namespace Factory.ControlPlane.Review;

/// <summary>
/// A cell as the matrix shows it: <see cref="State"/> (see <see cref="CellState"/>) from its newest record (Status,
/// Reason, BuildId), its flakiness over the window, and its last results newest first.
/// </summary>
public sealed record MatrixCell(string State, string Status, string? Reason, Guid BuildId, string IdempotencyKey, DateTimeOffset RecordedAt,
    Flakiness Flakiness, IReadOnlyList<StripEntry> Strip);
