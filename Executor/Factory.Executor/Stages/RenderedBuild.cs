using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Manifests;

namespace Factory.Executor.Stages;

/// <summary>The build context and stitched Dockerfile; NetworkModules are the modules that declared build.network.</summary>
public sealed record RenderedBuild(string ContextDirectory, string Dockerfile, IReadOnlyList<string> NetworkModules);
