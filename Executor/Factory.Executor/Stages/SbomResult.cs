using Factory.Contracts.Messages;
using Factory.Executor.Engine;
using Factory.Executor.Sbom;

namespace Factory.Executor.Stages;

/// <summary>The SBOM of one image: CycloneDX 1.6 JSON, its component count, and how long it took.</summary>
public sealed record SbomResult(byte[] Content, int ComponentCount, TimeSpan Duration);
