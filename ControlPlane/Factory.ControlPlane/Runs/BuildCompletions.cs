namespace Factory.ControlPlane.Runs;

/// <summary>
/// Builds that ended (records landed, or dead letters): their items finish, their keys leave flight, and only the
/// plans that this can unblock are looked at again.
/// </summary>
public sealed class BuildCompletions(IPlanStateStore state, WorkDispatcher dispatcher, RunSignals signals, TimeProvider clock)
{
    public async Task CompleteAsync(IReadOnlyList<BuildCompletion> completions, CancellationToken ct)
    {
        if (completions.Count == 0) return;
        var outcome = await state.CompleteBuildsAsync(completions, clock.GetUtcNow(), ct);
        if (outcome.CompletedRuns.Count > 0) signals.Completed(outcome.CompletedRuns);
        else signals.Changed();
        await dispatcher.PumpAsync(DispatchScope.Of(outcome.Unblocked), ct);
    }
}
