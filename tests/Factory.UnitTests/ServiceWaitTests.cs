using Factory.Contracts.Failures;
using Microsoft.Extensions.Time.Testing;

namespace Factory.UnitTests;

/// <summary>ServiceWait: a host's start-up wait tries retryable failures again, one second longer each time, and gives up on anything else at once.</summary>
public sealed class ServiceWaitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Retryable_failures_are_tried_again_after_a_growing_wait_until_the_step_succeeds()
    {
        var clock = new CountingClock();
        var calls = 0;
        var waits = new List<int>();
        // Off the test's synchronization context: the wait's continuation runs inside Advance, so "not yet" is exact.
        var done = Task.Run(() => ServiceWait.UntilDoneAsync(_ =>
        {
            if (Interlocked.Increment(ref calls) <= 2) throw new InfrastructureException("postgresql", "not reachable");
            return Task.CompletedTask;
        }, (attempt, _) => { lock (waits) waits.Add(attempt); }, CancellationToken.None, clock));

        // Advance only once the wait's timer exists: a timer made after an Advance would start from the later time.
        await Until(() => clock.Timers == 1);
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(1, Volatile.Read(ref calls)); // not before its first second
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await Until(() => clock.Timers == 2);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, Volatile.Read(ref calls)); // the second wait is two seconds
        clock.Advance(TimeSpan.FromSeconds(1));
        await done.WaitAsync(Patience);
        Assert.Equal(3, calls);
        Assert.Equal([1, 2], waits);
    }

    [Fact]
    public async Task A_failure_that_is_not_retryable_goes_up_at_once_without_a_wait()
    {
        var waits = 0;
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceWait.UntilDoneAsync(
            _ => throw new InvalidOperationException("bug"), (_, _) => waits++, CancellationToken.None, new FakeTimeProvider()).WaitAsync(Patience));
        Assert.Equal("bug", failure.Message);
        Assert.Equal(0, waits);
    }

    [Fact]
    public async Task With_a_patience_the_last_retryable_failure_goes_up_once_it_is_spent()
    {
        var calls = 0;
        var waits = new List<int>();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Tried at 0 s, after 1 s, and after the 0.5 s left: then the patience is spent.
        var failure = await Assert.ThrowsAsync<InfrastructureException>(() => ServiceWait.UntilDoneAsync(_ =>
        {
            Interlocked.Increment(ref calls);
            throw new InfrastructureException("docker engine", $"not reachable ({calls})");
        }, (attempt, _) => { lock (waits) waits.Add(attempt); }, CancellationToken.None, patience: TimeSpan.FromSeconds(1.5)).WaitAsync(Patience));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.4), $"gave up after {clock.Elapsed}");
        Assert.InRange(calls, 3, 4); // a timer may fire a hair early and leave a last moment for one more
        Assert.Equal($"docker engine: not reachable ({calls})", failure.Message);
        Assert.Equal(Enumerable.Range(1, calls - 1), waits);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(10, 10)]
    [InlineData(50, 10)]
    public void The_wait_grows_by_a_second_an_attempt_up_to_ten(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ServiceWait.DelayAfter(attempt));

    /// <summary>A fake clock that says how many timers (waits) were made on it.</summary>
    private sealed class CountingClock : FakeTimeProvider
    {
        private int _timers;

        public int Timers => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _timers);
            return timer;
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the step was not called in time");
            await Task.Delay(5);
        }
    }
}
