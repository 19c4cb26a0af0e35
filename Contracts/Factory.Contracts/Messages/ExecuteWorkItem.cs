namespace Factory.Contracts.Messages;

/// <summary>Command sent to a pool's work queue (wq-&lt;pool&gt;).</summary>
public sealed record ExecuteWorkItem
{
    public const int CurrentSchemaVersion = 1;
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    // Not `required` for the serializer: a message of another schema version must still deserialize far enough
    // for the executor to refuse it by its version, with that reason, instead of a serializer error.
    public Guid BuildId { get; init; }
    public WorkItem Item { get; init; } = null!;
    /// <summary>When set, the image (ref@digest) was already built and pushed: only the tests run.</summary>
    public string? ReuseImage { get; init; }
    /// <summary>
    /// Which dispatch of this build this is (1 for the first). The control plane sends a build again, with the same
    /// build id and the next attempt, when its lease lapsed; executors name work directories and containers per
    /// delivery, and a record is made once per build id whichever attempt finishes first.
    /// </summary>
    public int Attempt { get; init; } = 1;
}
