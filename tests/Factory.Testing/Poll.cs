namespace Factory.Testing;

/// <summary>
/// How the tests and the bench wait for what another process does: ask again every interval until the answer is
/// acceptable or the time is up. A deadline rather than a count of tries, so that slow answers do not stretch the wait.
/// What a missed deadline means (fail the test, throw, return the last answer) stays the caller's decision.
/// </summary>
public static class Poll
{
    /// <summary>The first acceptable answer, or the last answer given before the deadline passed.</summary>
    public static async Task<Polled<T>> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, TimeSpan timeout, TimeSpan interval,
        CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var answer = await probe();
            if (accept(answer)) return new Polled<T>(answer, Met: true);
            if (DateTime.UtcNow >= deadline) return new Polled<T>(answer, Met: false);
            await Task.Delay(interval, ct);
        }
    }

    /// <summary>For answers at hand without waiting (a list the caller fills, the state of a process).</summary>
    public static Task<Polled<T>> UntilAsync<T>(Func<T> probe, Func<T, bool> accept, TimeSpan timeout, TimeSpan interval, CancellationToken ct = default) =>
        UntilAsync(() => Task.FromResult(probe()), accept, timeout, interval, ct);
}
