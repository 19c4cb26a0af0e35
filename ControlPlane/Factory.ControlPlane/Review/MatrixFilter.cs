namespace Factory.ControlPlane.Review;

/// <summary>
/// Which part of a matrix to show: Modules holds "slot=version" pairs a row must all have; Platform one column; State
/// rows with at least one cell in that state (and only those cells); HideFlaky drops flaky cells. Rows left without a
/// cell are dropped.
/// </summary>
public sealed record MatrixFilter(IReadOnlyDictionary<string, string>? Modules = null, string? Platform = null, string? State = null, bool HideFlaky = false)
{
    public static readonly MatrixFilter None = new();
}
