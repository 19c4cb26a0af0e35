namespace Factory.Planning.Registry;

/// <summary>
/// One registry request of CachingBaseImageResolver, shared by every caller of its (reference, platform): started
/// by the first to ask for its task (the caller that put it in the cache), kept until it expires or fails.
/// </summary>
internal sealed class BaseImageLookup
{
    private readonly Lazy<Task<ResolvedImage>> _task;
    private long _fetchedAt;

    public BaseImageLookup(Func<BaseImageLookup, Task<ResolvedImage>> fetch) =>
        _task = new(() => fetch(this), LazyThreadSafetyMode.ExecutionAndPublication);

    public Task<ResolvedImage> Task => _task.Value;

    /// <summary>When the digest arrived, as a TimeProvider timestamp.</summary>
    public long FetchedAt
    {
        get => Volatile.Read(ref _fetchedAt);
        set => Volatile.Write(ref _fetchedAt, value);
    }

    /// <summary>In flight, or a digest younger than the TTL. A failed request is never reused.</summary>
    public bool IsUsable(TimeProvider clock, TimeSpan ttl) =>
        !Task.IsCompleted || (Task.IsCompletedSuccessfully && clock.GetElapsedTime(FetchedAt) < ttl);
}
