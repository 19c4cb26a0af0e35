namespace Factory.Contracts.Manifests;

/// <summary>manifests/tests/&lt;suite&gt;.yaml.</summary>
public sealed record TestSuite
{
    public required string Id { get; init; }
    public required IReadOnlyList<TestCase> Tests { get; init; }
}
