using Factory.Contracts.Records;

namespace Factory.ControlPlane.Review;

/// <summary>
/// Two records compared: their inputs (the key's components and the test suite), their tests' statuses, and their
/// SBOMs when both could be read (else <see cref="SbomUnavailable"/> says why).
/// </summary>
public sealed record RecordDiff(Guid Before, Guid After, string BeforeStatus, string AfterStatus, IReadOnlyList<InputChange> Inputs, IReadOnlyList<TestChange> Tests,
    SbomDiff? Sbom, string? SbomUnavailable)
{
    public static RecordDiff Between(CompatibilityRecord before, CompatibilityRecord after, SbomDiff? sbom, string? sbomUnavailable)
    {
        var was = before.Tests.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First().Status, StringComparer.Ordinal);
        var now = after.Tests.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First().Status, StringComparer.Ordinal);
        var tests = was.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Select(name => new TestChange(name, was.GetValueOrDefault(name), now.GetValueOrDefault(name)))
            .Where(t => t.From != t.To).ToList();
        return new RecordDiff(before.BuildId, after.BuildId, before.Status, after.Status,
            InputChanges.Between(RecordFacts.Of(before), RecordFacts.Of(after)), tests, sbom, sbomUnavailable);
    }
}
