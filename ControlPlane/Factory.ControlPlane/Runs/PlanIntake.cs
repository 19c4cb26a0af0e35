using Factory.ControlPlane.Planning;
using Factory.Manifests;

namespace Factory.ControlPlane.Runs;

public sealed record AcceptedPlan(Guid Id, string PlanId, int Items);

/// <summary>
/// Accepts a submitted plan: validates it against the manifest store, expands it for the pools executors
/// serve right now (an item for a pool nobody serves is refused here, not left waiting), stores it, and
/// starts dispatching. Invalid input throws InvalidInputException and nothing is stored or enqueued.
/// </summary>
public sealed class PlanIntake(ControlPlaneOptions options, PlanRunStore runs, PlanPreparer preparer, WorkDispatcher dispatcher,
    Factory.Records.ICompatibilityRecordStore records, TimeProvider clock)
{
    public async Task<AcceptedPlan> AcceptAsync(string document, string sourceName, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var store = ManifestStoreLoader.Load(options.ManifestStore);
        var immutability = store.CheckImmutability(await records.GetModuleDigestsAsync(ct));
        if (immutability.Count > 0) throw new InvalidInputException(immutability);
        var plan = PlanReader.Parse(new StringReader(document), sourceName, store);
        var served = (await runs.ListExecutorsAsync(options.ExecutorTimeout, ct)).Select(e => e.Pool).Distinct().ToList();
        var items = await preparer.PrepareAsync(plan, store, served, now, ct);
        var id = Guid.NewGuid();
        await runs.CreateRunAsync(new PlanRunRow(id, plan.Id, plan.Manifest, plan.Priority, plan.Concurrency, now), items, ct);
        await dispatcher.PumpAsync(ct);
        return new AcceptedPlan(id, plan.Id, items.Count);
    }
}
