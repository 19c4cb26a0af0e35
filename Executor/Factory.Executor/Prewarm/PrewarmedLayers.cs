namespace Factory.Executor.Prewarm;

/// <summary>
/// One run of stable layers built into a pool's cache: which (manifest, platform, base, slots), the cache ref it was pushed
/// to, how many of its build steps (RUN, COPY, ...; not FROM) BuildKit already had (CACHED) out of all, and how long it took with the base's pull.
/// A failed build (a fragment that does not build) is reported with its log tail, not thrown.
/// </summary>
public sealed record PrewarmedLayers(
    string Pool, string Platform, string Manifest, string Template, string BaseImage, IReadOnlyList<string> Layers, string CacheTag,
    bool Succeeded, int Steps, int CachedSteps, double Seconds, string? LogTail);
