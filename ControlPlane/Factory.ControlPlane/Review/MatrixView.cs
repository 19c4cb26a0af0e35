namespace Factory.ControlPlane.Review;

/// <summary>
/// A manifest's matrix: rows are module combinations, columns platforms. Records is how many records it was made of;
/// Counts the cells by state (after filtering).
/// </summary>
public sealed record MatrixView(string ManifestId, IReadOnlyList<string> Platforms, IReadOnlyList<MatrixRow> Rows, int Records,
    IReadOnlyDictionary<string, int> Counts, int StripLength, string Window, string FlakinessRule);
