namespace Factory.Executor.Engine;

/// <summary>A build; its RUN steps have no network unless <paramref name="Network"/> (a module declared build.network).</summary>
public sealed record ImageBuildRequest(BuildContext Context, string Tag, string Platform, IReadOnlyList<string> CacheFrom, bool Network = false);
