namespace Factory.Contracts.Messages;

/// <summary>Published by each executor every few seconds: which pool it serves and how busy it is.</summary>
public sealed record ExecutorHeartbeat
{
    public required string ExecutorId { get; init; }
    public required string Pool { get; init; }
    public required string Host { get; init; }
    /// <summary>How many builds the executor runs at once, shared by all the pools it serves.</summary>
    public required int Concurrency { get; init; }
    /// <summary>How many builds of this pool it runs now (<see cref="RunningBuilds"/>' count).</summary>
    public required int Busy { get; init; }
    public required DateTimeOffset SentAt { get; init; }
    /// <summary>The builds this executor is running for the pool right now: each beat renews their leases.</summary>
    public IReadOnlyList<Guid> RunningBuilds { get; init; } = [];
}
