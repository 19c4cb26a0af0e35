using Factory.Contracts.Messages;

namespace Factory.Contracts.Records;

public sealed record TestResult
{
    public required string Name { get; init; }
    /// <summary>passed | failed | skipped</summary>
    public required string Status { get; init; }
    public int? ExitCode { get; init; }
    public bool TimedOut { get; init; }
    public long DurationMs { get; init; }
    public string? Reason { get; init; }
    public string? OutputTail { get; init; }
}
