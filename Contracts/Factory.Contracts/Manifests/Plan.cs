namespace Factory.Contracts.Manifests;

/// <summary>manifests/plans/&lt;id&gt;.yaml: a build matrix over one manifest.</summary>
public sealed record Plan
{
    public required string Id { get; init; }
    public required string Manifest { get; init; }
    /// <summary>Module slot → versions; the cartesian product of these, times platforms. Empty: the manifest as it stands.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Matrix { get; init; }
    public IReadOnlyList<string>? Platforms { get; init; }
    /// <summary>Partial combinations (slot or "platform" → value) added to the product.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Include { get; init; } = [];
    /// <summary>Partial combinations removed from the product.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Exclude { get; init; } = [];
    public int Priority { get; init; }
    /// <summary>A deadline relative to submission (e.g. 2h)...</summary>
    public TimeSpan? Deadline { get; init; }
    /// <summary>...or an absolute one (an RFC 3339 timestamp).</summary>
    public DateTimeOffset? DeadlineAt { get; init; }
    public int? Concurrency { get; init; }
    /// <summary>Each combination that already passed runs this many times again (reruns, to measure flakiness) instead of being reused.</summary>
    public int Rerun { get; init; }
    public const int MaxRerun = 100;
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>Where the plan was read from, for error messages.</summary>
    public string Source { get; init; } = "";
}
