using Factory.Contracts.Records;

namespace Factory.ControlPlane.Dispatch;

/// <summary>
/// Everything one dispatch pass decides on: the open plans in scope with their first pending items, the builds in
/// flight for those items' keys, and the records kept for those keys.
/// </summary>
public sealed record DispatchSnapshot(
    DateTimeOffset Now,
    IReadOnlyList<RunCandidate> Runs,
    IReadOnlyDictionary<string, BuildInFlight> InFlight,
    IReadOnlyDictionary<string, IReadOnlyList<RecordSummary>> Records)
{
    public IEnumerable<string> Keys => Runs.SelectMany(r => r.Pending).Select(p => p.Item.IdempotencyKey).Distinct();
}
