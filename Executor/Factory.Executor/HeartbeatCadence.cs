namespace Factory.Executor;

/// <summary>
/// When an executor beats. A busy one beats every <see cref="ExecutorOptions.HeartbeatInterval"/>: each beat renews the
/// leases of the builds it runs. An idle one renews nothing, so it beats only every
/// <see cref="ExecutorOptions.IdleHeartbeatInterval"/>, enough for the control plane to count it as alive
/// (ControlPlane:ExecutorTimeout must span a few of those). A change between busy and idle is told at once, so the
/// fleet view's busy/idle never lags by more than one busy interval. With a thousand mostly idle executors, this cuts
/// the messages the control plane receives by the ratio of the two intervals.
/// </summary>
public static class HeartbeatCadence
{
    /// <summary>Whether a beat is due at a tick (ticks come every HeartbeatInterval); null <paramref name="last"/>: never beaten.</summary>
    public static bool IsDue(bool busy, HeartbeatSent? last, DateTimeOffset now, ExecutorOptions options)
    {
        if (last is null || busy || last.Busy) return true;
        // Half a tick early rather than a whole tick late: ticks drift a little against the clock.
        return now - last.At >= IdleInterval(options) - options.HeartbeatInterval / 2;
    }

    /// <summary>The idle interval, never shorter than the busy one.</summary>
    public static TimeSpan IdleInterval(ExecutorOptions options) =>
        options.IdleHeartbeatInterval > options.HeartbeatInterval ? options.IdleHeartbeatInterval : options.HeartbeatInterval;
}
