using Factory.ControlPlane.Dispatch;
using Factory.Contracts.Failures;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Records;
using Microsoft.Extensions.Logging;

namespace Factory.ControlPlane.Runs;

/// <summary>
/// Moves pending items towards executors. A pass takes a snapshot of the plans in scope (store), decides
/// (DispatchPolicy, with the records of the candidates' keys fetched in one query), applies the decisions (store,
/// one transaction), then sends the claimed builds — only after the commit (an outbox: a result can never overtake
/// the state it completes). A build whose send was never confirmed is sent again when its send lease lapses
/// (LeaseReaper), with the same build id, which executors and records absorb.
/// </summary>
public sealed class WorkDispatcher(IPlanStateStore state, ICompatibilityRecordStore records, IWorkSender sender, RunSignals signals,
    DispatchOptions options, TimeProvider clock, ILogger<WorkDispatcher> logger)
{
    private const int MaxPasses = 50;

    /// <summary>
    /// Passes over the scope until nothing in it can move at once. A pass that fails on infrastructure (say, two passes
    /// deadlocked in the database and one was chosen to fail) is tried again a few times; after that the error goes
    /// up, and the periodic pass over every plan picks the work up later.
    /// </summary>
    public async Task PumpAsync(DispatchScope scope, CancellationToken ct)
    {
        var failures = 0;
        for (var pass = 0; pass < MaxPasses && !scope.IsEmpty; pass++)
        {
            DispatchOutcome outcome;
            try
            {
                outcome = await state.DispatchAsync(scope, DecideAsync, clock.GetUtcNow(), options.Leases, options.Batch, ct);
            }
            catch (Exception ex) when (FailureClassifier.IsRetryable(ex) && ++failures <= 3)
            {
                logger.LogInformation("dispatch pass failed ({Message}); trying again", ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * failures), ct);
                pass--;
                continue;
            }
            await RecordExpiredAsync(outcome.Expired, ct);
            await SendAsync(outcome.Outbox);
            if (outcome.CompletedRuns.Count > 0) signals.Completed(outcome.CompletedRuns);
            else if (outcome.Outbox.Count > 0 || outcome.Expired.Count > 0) signals.Changed();
            scope = DispatchScope.Of(outcome.Again);
        }
    }

    /// <summary>
    /// Sends builds (highest priority first, several at once), then marks the confirmed ones queued. An unconfirmed one
    /// waits for its send lease. Nothing cuts the sends short (a stopping host, a client that left):
    /// once the claims are committed, a build sent but not marked would go out a second time when its send lease
    /// lapses. That lease bounds the sends instead.
    /// </summary>
    public async Task SendAsync(IReadOnlyList<ExecuteWorkItem> outbox)
    {
        if (outbox.Count == 0) return;
        using var lease = new CancellationTokenSource(options.Leases.Send);
        var sent = new List<Guid>(outbox.Count);
        var failures = 0;
        try
        {
            await Parallel.ForEachAsync(outbox.OrderByDescending(c => c.Item.Priority),
                new ParallelOptions { MaxDegreeOfParallelism = options.SendConcurrency, CancellationToken = lease.Token },
                async (command, token) =>
                {
                    try
                    {
                        await sender.SendAsync(command, token);
                        lock (sent) sent.Add(command.BuildId);
                    }
                    catch (Exception ex) when (FailureClassifier.IsRetryable(ex))
                    {
                        if (Interlocked.Increment(ref failures) == 1)
                            logger.LogWarning("sending build {BuildId} failed; it is sent again when its send lease lapses: {Message}", command.BuildId, ex.Message);
                    }
                });
        }
        catch (OperationCanceledException) when (lease.IsCancellationRequested)
        {
            logger.LogWarning("sending {Count} builds outlasted their send lease; the unconfirmed ones are sent again", outbox.Count - sent.Count);
        }
        List<Guid> confirmed;
        lock (sent) confirmed = [.. sent];
        await state.MarkSentAsync(confirmed, clock.GetUtcNow(), options.Leases, CancellationToken.None);
    }

    private async Task<IReadOnlyList<DispatchDecision>> DecideAsync(DispatchSnapshot snapshot, CancellationToken ct)
    {
        var keys = snapshot.Keys.ToList();
        var summaries = keys.Count == 0 ? [] : await records.FindSummariesAsync(keys, ct);
        var byKey = summaries.GroupBy(s => s.IdempotencyKey).ToDictionary(g => g.Key, g => (IReadOnlyList<RecordSummary>)g.ToList());
        return DispatchPolicy.Decide(snapshot with { Records = byKey }, Guid.NewGuid);
    }

    /// <summary>An item expired before dispatch still gets its record (status expired, nothing built), like one an executor found late.</summary>
    private async Task RecordExpiredAsync(IReadOnlyList<ExpiredItem> expired, CancellationToken ct)
    {
        foreach (var e in expired)
        {
            var now = clock.GetUtcNow();
            await records.SaveAsync(CompatibilityRecordFactory.From(CompatibilityRecordFactory.Expired(e.Item, e.BuildId, new ExecutorIdentity(e.Item.Pool, "control-plane"), now), now), ct);
        }
    }
}
