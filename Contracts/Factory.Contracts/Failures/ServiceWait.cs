namespace Factory.Contracts.Failures;

/// <summary>
/// How a host waits at start for a service it cannot work without (a schema, a broker topology): the step is tried
/// again, one second longer after each failure up to <see cref="MaxDelay"/>, for as long as
/// <see cref="FailureClassifier"/> calls the failure retryable; anything else, and cancellation, goes up at once.
/// </summary>
public static class ServiceWait
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    /// <param name="waiting">Told each failed attempt (1, 2, …) before the wait, so the host can say what it waits for.</param>
    public static async Task UntilDoneAsync(Func<CancellationToken, Task> step, Action<int, Exception> waiting, CancellationToken ct, TimeProvider? clock = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await step(ct);
                return;
            }
            catch (Exception ex) when (FailureClassifier.IsRetryable(ex))
            {
                waiting(attempt, ex);
                await Task.Delay(DelayAfter(attempt), clock ?? TimeProvider.System, ct);
            }
        }
    }

    public static TimeSpan DelayAfter(int attempt) => TimeSpan.FromSeconds(Math.Min(attempt, MaxDelay.TotalSeconds));
}
