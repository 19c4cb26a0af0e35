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
        var attempts = new Attempts(call => call <= 2 ? new InfrastructureException("postgresql", "not reachable") : null);
        var done = attempts.Start(clock);

        // Advance only once the wait's timer exists: a timer made after an Advance would start from the later time.
        await Until(() => clock.Timers == 1);
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(1, attempts.Calls); // not before its first second
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await Until(() => clock.Timers == 2);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, attempts.Calls); // the second wait is two seconds
        clock.Advance(TimeSpan.FromSeconds(1));
        await done.WaitAsync(Patience);
        Assert.Equal(3, attempts.Calls);
        Assert.Equal([1, 2], attempts.Waits);
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
        var clock = new CountingClock();
        var attempts = new Attempts(call => new InfrastructureException("docker engine", $"not reachable ({call})"));

        // Tried at 0 s, after 1 s, and after the 0.5 s left: then the patience is spent.
        var done = attempts.Start(clock, TimeSpan.FromSeconds(1.5));

        await Until(() => clock.Timers == 1);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Until(() => clock.Timers == 2);
        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(2, attempts.Calls); // the last wait is the rest of the patience, not a whole 2 s
        Assert.False(done.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        var failure = await Assert.ThrowsAsync<InfrastructureException>(() => done.WaitAsync(Patience));
        Assert.Equal(3, attempts.Calls);
        Assert.Equal("docker engine: not reachable (3)", failure.Message);
        Assert.Equal([1, 2], attempts.Waits);
        Assert.Equal(2, clock.Timers);
    }

    [Fact]
    public async Task Timers_that_fire_a_hair_early_still_give_up_after_one_last_try()
    {
        var clock = new CountingClock(early: TimeSpan.FromMilliseconds(0.5));
        // A cap, so that a wait that spins ends the test rather than the machine.
        var attempts = new Attempts(call => call > 10 ? new InvalidOperationException("spun") : new InfrastructureException("docker engine", "not reachable"));
        var done = attempts.Start(clock, TimeSpan.FromSeconds(1.5));

        await Until(() => clock.Timers == 1);
        clock.Advance(TimeSpan.FromMilliseconds(999.5)); // the 1 s wait ends 0.5 ms early
        await Until(() => clock.Timers == 2);
        clock.Advance(TimeSpan.FromMilliseconds(500)); // so does the rest of the patience: 0.5 ms are still "left"

        await Assert.ThrowsAsync<InfrastructureException>(() => done.WaitAsync(Patience));
        Assert.Equal(3, attempts.Calls);
        Assert.Equal(2, clock.Timers);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(10, 10)]
    [InlineData(50, 10)]
    public void The_wait_grows_by_a_second_an_attempt_up_to_ten(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ServiceWait.DelayAfter(attempt));

    /// <summary>
    /// A fake clock that says how many timers (waits) were made on it, counted once made; its timers may fire
    /// <paramref name="early"/>, as real ones sometimes do.
    /// </summary>
    private sealed class CountingClock(TimeSpan early = default) : FakeTimeProvider
    {
        private int _timers;

        public int Timers => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime > early ? dueTime - early : TimeSpan.Zero, period);
            Interlocked.Increment(ref _timers);
            return timer;
        }
    }

    /// <summary>
    /// A step that fails with what <c>failure</c> makes of its call number (1, 2, …; null: it succeeds), and the attempts
    /// ServiceWait reported waiting after.
    /// </summary>
    private sealed class Attempts(Func<int, Exception?> failure)
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);
        public List<int> Waits { get; } = [];

        /// <summary>Off the test's synchronization context: the wait's continuation runs inside Advance, so "not yet" is exact.</summary>
        public Task Start(TimeProvider clock, TimeSpan? patience = null) => Task.Run(() => ServiceWait.UntilDoneAsync(
            _ => failure(Interlocked.Increment(ref _calls)) is { } ex ? Task.FromException(ex) : Task.CompletedTask,
            (attempt, _) => { lock (Waits) Waits.Add(attempt); }, CancellationToken.None, clock, patience));
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
