namespace Factory.ControlPlane.Review;

/// <summary>What a cell's record must have to answer for the manifest as it stands now: the key (with today's base digest) and the suite.</summary>
public sealed record ExpectedCell(CellId Cell, string IdempotencyKey, string TestSuiteHash, string BaseDigest);
