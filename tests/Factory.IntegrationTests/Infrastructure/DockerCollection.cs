namespace Factory.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that build on the real Docker engine and registry run one at a time: one of them empties the
/// engine's build cache, which must not pull the floor from under another build.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DockerCollection
{
    public const string Name = "docker engine";
}
