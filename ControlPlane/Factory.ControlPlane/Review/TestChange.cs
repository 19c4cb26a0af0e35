namespace Factory.ControlPlane.Review;

/// <summary>A test whose status differs between two records (null where a record did not run it).</summary>
public sealed record TestChange(string Name, string? From, string? To);
