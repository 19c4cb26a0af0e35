namespace Factory.UnitTests.Support;

/// <summary>A message whose consumer fails the way it names: "transient", "denied" or "bug".</summary>
public sealed record RetryProbe
{
    public required string Failure { get; init; }
}
