using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Executor.Engine;
using Factory.Manifests;

namespace Factory.Executor.Stages;

/// <summary>The build context (with the stitched Dockerfile); NetworkModules are the modules that declared build.network.</summary>
public sealed record RenderedBuild(BuildContext Context, IReadOnlyList<string> NetworkModules)
{
    public string Dockerfile => Context.Dockerfile;

    /// <summary>The build of this context, for an item or its stable layers alike: its RUN steps have the network only when a module declared it.</summary>
    public ImageBuildRequest BuildRequest(string tag, string platform, IReadOnlyList<string> cacheFrom) =>
        new(Context, tag, platform, cacheFrom, Network: NetworkModules.Count > 0);
}
