namespace Factory.ControlPlane.Review;

/// <summary>A record explained: why it was built (or re-tested, or rerun), and where it failed when it did.</summary>
public sealed record RecordExplanation(BuildExplanation WhyBuilt, FailedStep? FailedStep);
