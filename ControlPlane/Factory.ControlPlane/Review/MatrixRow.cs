namespace Factory.ControlPlane.Review;

/// <summary>A module combination (canonical "slot=version,…") and its cells by platform.</summary>
public sealed record MatrixRow(string Modules, IReadOnlyDictionary<string, string> SlotVersions, IReadOnlyDictionary<string, MatrixCell> Cells);
