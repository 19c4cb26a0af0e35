namespace Factory.Contracts.Messages;

/// <summary>Command sent to a pool's work queue (wq-&lt;pool&gt;).</summary>
public sealed record ExecuteWorkItem
{
    public const int CurrentSchemaVersion = 1;
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required Guid BuildId { get; init; }
    public required WorkItem Item { get; init; }
    /// <summary>When set, the image (ref@digest) was already built and pushed: only the tests run.</summary>
    public string? ReuseImage { get; init; }
}
