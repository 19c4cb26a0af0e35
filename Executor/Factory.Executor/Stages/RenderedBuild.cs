using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Executor.Engine;
using Factory.Manifests;

namespace Factory.Executor.Stages;

/// <summary>The build context and stitched Dockerfile; NetworkModules are the modules that declared build.network.</summary>
public sealed record RenderedBuild(string ContextDirectory, string Dockerfile, IReadOnlyList<string> NetworkModules)
{
    /// <summary>The build of this context, for an item or its stable layers alike: its RUN steps have the network only when a module declared it.</summary>
    public ImageBuildRequest BuildRequest(string tag, string platform, IReadOnlyList<string> cacheFrom) =>
        new(ContextDirectory, tag, platform, cacheFrom, Network: NetworkModules.Count > 0);
}
