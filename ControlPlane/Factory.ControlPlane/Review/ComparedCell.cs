namespace Factory.ControlPlane.Review;

/// <summary>A cell in a comparison, with its result on each side (null where it has none) and the inputs that changed.</summary>
public sealed record ComparedCell(string Modules, string Platform, CellResult? Before, CellResult? After, IReadOnlyList<InputChange> Changes);
