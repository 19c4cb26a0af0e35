using System.Text.Json;
using Factory.Contracts.Messages;
using Factory.IntegrationTests.Infrastructure;
using Factory.Manifests;

namespace Factory.IntegrationTests.Sbom;

/// <summary>A built image and the work item it was built for (modules with digests and owners, as the planner gives them).</summary>
public sealed record BuiltImage(string Image, WorkItem Item);
