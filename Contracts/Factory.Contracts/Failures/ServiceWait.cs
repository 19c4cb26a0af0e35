namespace Factory.Contracts.Failures;

/// <summary>
/// How a host waits at start for a service it cannot work without (a schema, a broker topology): the step is tried
/// again, one second longer after each failure up to <see cref="MaxDelay"/>, for as long as
/// <see cref="FailureClassifier"/> calls the failure retryable, or until a patience is spent (then the last failure
/// goes up); anything else, and cancellation, goes up at once.
/// </summary>
public static class ServiceWait
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    /// <param name="waiting">Told each failed attempt (1, 2, …) before the wait, so the host can say what it waits for.</param>
    /// <param name="patience">How long to go on trying; null: for as long as the failures are retryable.</param>
    public static async Task UntilDoneAsync(Func<CancellationToken, Task> step, Action<int, Exception> waiting, CancellationToken ct, TimeProvider? clock = null,
        TimeSpan? patience = null)
    {
        clock ??= TimeProvider.System;
        var started = clock.GetTimestamp();
        var lastTry = false; // the wait that used up the patience has been waited: the next failure goes up
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await step(ct);
                return;
            }
            catch (Exception ex) when (FailureClassifier.IsRetryable(ex) && !lastTry && (patience is null || clock.GetElapsedTime(started) < patience))
            {
                waiting(attempt, ex);
                var delay = DelayAfter(attempt);
                // The rest of the patience, and then one last try. Not "until the clock says it is spent": a timer may
                // fire a hair early, and a remainder under a millisecond is no wait at all, so that would spin.
                if (patience is { } limit && limit - clock.GetElapsedTime(started) is var left && left <= delay)
                {
                    delay = left > TimeSpan.Zero ? left : TimeSpan.Zero;
                    lastTry = true;
                }
                await Task.Delay(delay, clock, ct);
            }
        }
    }

    public static TimeSpan DelayAfter(int attempt) => TimeSpan.FromSeconds(Math.Min(attempt, MaxDelay.TotalSeconds));
}
