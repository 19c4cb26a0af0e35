namespace Factory.ControlPlane.Runs;

/// <summary>A submitted plan: completed once none of its items is pending, queued or running.</summary>
public sealed record PlanRunRow(Guid Id, string PlanId, string ManifestId, int Priority, int? Concurrency, DateTimeOffset SubmittedAt,
    DateTimeOffset? CompletedAt = null);
