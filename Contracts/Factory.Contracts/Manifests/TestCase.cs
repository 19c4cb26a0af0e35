namespace Factory.Contracts.Manifests;

public sealed record TestCase
{
    /// <summary>The longest a test may be given: beyond it a timeout is a typo, not a plan.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(6);

    public required string Name { get; init; }
    public required IReadOnlyList<string> Run { get; init; }
    public required TestExpectation Expect { get; init; }
    public required TimeSpan Timeout { get; init; }
    /// <summary>Platforms the test applies to; null means every platform.</summary>
    public IReadOnlyList<string>? Platforms { get; init; }
    /// <summary>
    /// Run in a container of its own rather than in the one the item's other tests share (e.g. a test that needs a
    /// filesystem no other test has touched, or that leaves processes behind).
    /// </summary>
    public bool FreshContainer { get; init; }
}
