namespace Factory.Contracts.Messages;

/// <summary>Published by each executor every few seconds: which pool it serves and how busy it is.</summary>
public sealed record ExecutorHeartbeat
{
    public required string ExecutorId { get; init; }
    public required string Pool { get; init; }
    public required string Host { get; init; }
    public required int Concurrency { get; init; }
    public required int Busy { get; init; }
    public required DateTimeOffset SentAt { get; init; }
    /// <summary>The builds this executor is running for the pool right now: each beat renews their leases.</summary>
    public IReadOnlyList<Guid> RunningBuilds { get; init; } = [];
}
