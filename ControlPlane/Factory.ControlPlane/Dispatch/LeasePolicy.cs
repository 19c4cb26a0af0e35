namespace Factory.ControlPlane.Dispatch;

/// <summary>
/// Decides what to do with builds whose lease lapsed, so that no key stays in flight past its lease:
/// - a record exists for the build → complete from it (its completion notice was lost);
/// - never confirmed sent, or started and no longer renewed → send it again (next attempt);
/// - queued → send it again only when its pool's queue is known to be empty (the message was lost, e.g. purged);
///   while the queue holds messages, or its depth is unknown (the in-memory bus loses nothing), look again later.
/// </summary>
public static class LeasePolicy
{
    public static IReadOnlyList<LeaseDecision> Decide(IReadOnlyList<LapsedBuild> lapsed, IReadOnlyDictionary<Guid, string> recordStatus,
        IReadOnlyDictionary<string, long?> readyByPool, DateTimeOffset now, LeaseOptions options) =>
        lapsed.Select(build => (LeaseDecision)(build switch
        {
            _ when recordStatus.TryGetValue(build.BuildId, out var status) => new CompleteFromRecord(build, status),
            { State: BuildState.Queued } when readyByPool.GetValueOrDefault(build.Pool) is not 0 => new ExtendLease(build, now + options.Queued),
            _ => new Redispatch(build, build.Attempt + 1),
        })).ToList();
}
