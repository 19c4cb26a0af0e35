namespace Factory.Contracts.Messages;

/// <summary>One combination of a plan: everything an executor needs to render, build and test it.</summary>
public sealed record WorkItem
{
    public required string IdempotencyKey { get; init; }
    public required string PlanId { get; init; }
    public required string ManifestId { get; init; }
    public required string TemplateId { get; init; }
    public required string TemplateVersion { get; init; }
    /// <summary>The base image by digest, e.g. 127.0.0.1:5000/base/busybox@sha256:…</summary>
    public required string BaseImage { get; init; }
    public required string BaseDigest { get; init; }
    public required string Platform { get; init; }
    public string? Accelerator { get; init; }
    public required string Pool { get; init; }
    public required IReadOnlyList<ModuleSelection> Modules { get; init; }
    public required string TestSuiteId { get; init; }
    public required string TestSuiteHash { get; init; }
    /// <summary>sha256 over the canonical JSON of the manifest entry and its template (see ManifestHash).</summary>
    public string? ManifestHash { get; init; }
    public required IReadOnlyList<Manifests.TestCase> Tests { get; init; }
    public int? MaxImageMb { get; init; }
    public int Priority { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    /// <summary>
    /// A rerun of a key that already passed (a plan's rerun: N): tested again against its image and recorded as a new
    /// record of the same key; never reused, and never attached to another build of its key in flight.
    /// </summary>
    public bool Rerun { get; init; }
    /// <summary>
    /// The W3C traceparent of this item's own trace, started when the plan was accepted (null when tracing is off):
    /// dispatch, the executor's stages and the record join it. Not part of the key, and not in the record.
    /// </summary>
    public string? TraceParent { get; init; }
}
