using Factory.Executor;

namespace Factory.UnitTests;

/// <summary>HeartbeatCadence: busy executors beat every interval (their leases), idle ones every idle interval, changes at once.</summary>
public sealed class HeartbeatCadenceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly ExecutorOptions Options = new() { HeartbeatInterval = TimeSpan.FromSeconds(5), IdleHeartbeatInterval = TimeSpan.FromSeconds(15) };

    private static DateTimeOffset At(double seconds) => T0 + TimeSpan.FromSeconds(seconds);

    [Fact]
    public void The_first_beat_is_due_at_once_busy_or_idle()
    {
        Assert.True(HeartbeatCadence.IsDue(busy: false, last: null, T0, Options));
        Assert.True(HeartbeatCadence.IsDue(busy: true, last: null, T0, Options));
    }

    [Fact]
    public void A_busy_executor_beats_at_every_tick_so_its_leases_are_renewed()
    {
        Assert.True(HeartbeatCadence.IsDue(busy: true, new HeartbeatSent(T0, Busy: true), At(5), Options));
    }

    [Fact]
    public void An_idle_executor_skips_ticks_until_its_idle_interval_has_passed()
    {
        var last = new HeartbeatSent(T0, Busy: false);
        Assert.False(HeartbeatCadence.IsDue(busy: false, last, At(5), Options));
        Assert.False(HeartbeatCadence.IsDue(busy: false, last, At(10), Options));
        Assert.True(HeartbeatCadence.IsDue(busy: false, last, At(15), Options));
        // A tick that comes a little early (timer drift) still beats, rather than waiting a whole tick more.
        Assert.True(HeartbeatCadence.IsDue(busy: false, last, At(14.9), Options));
    }

    [Fact]
    public void Becoming_busy_is_told_at_the_next_tick_so_the_new_build_s_lease_is_renewed_from_then_on()
    {
        Assert.True(HeartbeatCadence.IsDue(busy: true, new HeartbeatSent(T0, Busy: false), At(5), Options));
    }

    [Fact]
    public void Becoming_idle_is_told_at_the_next_tick_so_the_fleet_view_does_not_show_it_busy()
    {
        Assert.True(HeartbeatCadence.IsDue(busy: false, new HeartbeatSent(T0, Busy: true), At(5), Options));
    }

    [Fact]
    public void An_idle_interval_shorter_than_the_busy_one_is_raised_to_it()
    {
        var options = new ExecutorOptions { HeartbeatInterval = TimeSpan.FromSeconds(5), IdleHeartbeatInterval = TimeSpan.FromSeconds(1) };
        Assert.Equal(TimeSpan.FromSeconds(5), HeartbeatCadence.IdleInterval(options));
        Assert.True(HeartbeatCadence.IsDue(busy: false, new HeartbeatSent(T0, Busy: false), At(5), options));
    }

    [Fact]
    public void The_default_executor_timeout_spans_three_idle_beats()
    {
        var defaults = new Factory.ControlPlane.ControlPlaneOptions();
        Assert.True(defaults.ExecutorTimeout >= 3 * HeartbeatCadence.IdleInterval(new ExecutorOptions()),
            $"ControlPlane:ExecutorTimeout {defaults.ExecutorTimeout} is shorter than three idle heartbeats");
    }
}
