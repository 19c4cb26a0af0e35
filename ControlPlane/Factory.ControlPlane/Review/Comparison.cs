namespace Factory.ControlPlane.Review;

/// <summary>
/// Two states of a manifest's matrix compared, in Hydra's tabs: newly failing (failed now, not before), newly passing
/// (passed now, not before), still failing (failed on both sides), new (only after), removed (only before). Cells
/// that passed on both sides, or did not change, are only counted.
/// </summary>
public sealed record Comparison(string ManifestId, string Before, string After, IReadOnlyList<ComparedCell> NewlyFailing, IReadOnlyList<ComparedCell> NewlyPassing,
    IReadOnlyList<ComparedCell> StillFailing, IReadOnlyList<ComparedCell> New, IReadOnlyList<ComparedCell> Removed, int Unchanged);
