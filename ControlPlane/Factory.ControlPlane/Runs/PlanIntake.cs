using Factory.Planning;
using Factory.ControlPlane.Telemetry;
using Factory.Contracts.Failures;
using Factory.Contracts.Manifests;
using Factory.Manifests;
using Factory.Records;
using Microsoft.Extensions.Logging;

namespace Factory.ControlPlane.Runs;

/// <summary>
/// Accepts a plan: validates it against the manifest store, checks the modules it uses are unchanged since they
/// were first built, expands it for the pools it may be admitted to, decides reuse for the whole plan in one query
/// against the records, stores it, and dispatches it. Invalid input throws InvalidInputException and nothing is
/// stored or enqueued.
/// </summary>
public sealed class PlanIntake(IManifestSource manifests, PlanPreparer preparer, IPlanStateStore state, ICompatibilityRecordStore records,
    IServedPools served, WorkDispatcher dispatcher, ControlPlaneOptions options, TimeProvider clock, ILogger<PlanIntake> logger)
{
    /// <summary><paramref name="rerun"/>, when given, overrides the plan's rerun: N (submit --rerun N).</summary>
    public Task<AcceptedPlan> AcceptAsync(string document, string sourceName, CancellationToken ct, int? rerun = null)
    {
        var store = manifests.Current();
        var plan = PlanReader.Parse(new StringReader(document), sourceName, store, ct, options.Plans.MaxCombinations);
        if (rerun is { } times)
        {
            if (times is < 0 or > Plan.MaxRerun) throw new InvalidInputException(sourceName, "rerun", $"expected 0 to {Plan.MaxRerun} reruns, found {times}");
            plan = plan with { Rerun = times };
        }
        return AcceptAsync(plan, store, ct);
    }

    public async Task<AcceptedPlan> AcceptAsync(Plan plan, ManifestStore store, CancellationToken ct)
    {
        using var span = ControlPlaneTelemetry.Source.StartActivity("accept_plan");
        span?.SetTag("factory.plan_id", plan.Id);
        var now = clock.GetUtcNow();
        var used = MatrixExpander.ModulesUsed(plan, store);
        var immutability = store.CheckImmutability(used, await records.GetModuleDigestsAsync(used, ct));
        if (immutability.Count > 0) throw new InvalidInputException(immutability);
        var id = Guid.NewGuid();
        span?.SetTag("factory.plan_run_id", id);
        var items = ControlPlaneTelemetry.StartItemTraces(await preparer.PrepareAsync(plan, store, await served.ListAsync(ct), now, ct), id);

        var summaries = (await records.FindSummariesAsync(items.Select(i => i.IdempotencyKey).ToList(), ct)).ToLookup(s => s.IdempotencyKey);
        // A combination that passed is reused, or with rerun: N becomes N reruns of its key (each a new record).
        var newItems = items.SelectMany(item => ReusePolicy.Decide(item, summaries[item.IdempotencyKey].ToList()) is { Kind: ReuseDecisionKind.Reuse } reuse
            ? plan.Rerun > 0 ? Enumerable.Repeat(new NewPlanItem(item with { Rerun = true }), plan.Rerun) : [new NewPlanItem(item, reuse.Record!.BuildId)]
            : [new NewPlanItem(item)]).ToList();
        await state.CreateRunAsync(new PlanRunRow(id, plan.Id, plan.Manifest, plan.Priority, plan.Concurrency, now), newItems, now, ct);
        try
        {
            await dispatcher.PumpAsync(DispatchScope.Of([id]), ct);
        }
        catch (Exception ex) when (FailureClassifier.IsRetryable(ex))
        {
            // The plan is stored: the periodic pass dispatches it. Refusing it now would make the client submit it twice.
            logger.LogWarning("plan {Id} stored; its first dispatch failed and is left to the next pass: {Message}", id, ex.Message);
        }
        return new AcceptedPlan(id, plan.Id, newItems.Count, newItems.Count(i => i.ReusedBuildId is not null));
    }
}
