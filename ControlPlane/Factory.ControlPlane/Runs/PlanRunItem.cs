using System.Text.Json;

namespace Factory.ControlPlane.Runs;

/// <summary>One item of GET /api/plans/{id}: the combination, where it is, and (once done) what its record says.</summary>
public sealed record PlanRunItem
{
    public required string IdempotencyKey { get; init; }
    public required string ManifestId { get; init; }
    public required string Platform { get; init; }
    public required string Pool { get; init; }
    public required IReadOnlyDictionary<string, string> Modules { get; init; }
    public required string Status { get; init; }
    public string? Reason { get; init; }
    public Guid? BuildId { get; init; }
    public string? Image { get; init; }
    public IReadOnlyList<PlanRunTest> Tests { get; init; } = [];
    public string? DispatchKind { get; init; }
    public DateTimeOffset? QueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? ExecutorId { get; init; }
    public int? Attempt { get; init; }
    public JsonElement? Error { get; init; }
}
