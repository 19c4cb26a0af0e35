using System.Reflection;
using System.Text.Json;
using Factory.Contracts;
using Factory.Contracts.Messages;

namespace Factory.Executor.Provenance;

/// <summary>
/// SLSA v1 provenance as an in-toto Statement v1: the subject is the image digest; the builder is the executor
/// pool and host with Factory's version; the resolved dependencies (materials) are the base image, every module
/// with its content digest, the manifest and the test suite; the plan id and idempotency key are parameters.
/// </summary>
public static class SlsaProvenance
{
    // One instance for the process: a new JsonSerializerOptions rebuilds the serializer's metadata (reflection emit) on every call.
    private static readonly JsonSerializerOptions StatementJson = new(FactoryJson.Options) { PropertyNamingPolicy = null, WriteIndented = false };

    public const string StatementType = "https://in-toto.io/Statement/v1";
    public const string PredicateType = "https://slsa.dev/provenance/v1";
    public const string BuildType = "https://factory.dev/build/image/v1";

    public static string FactoryVersion { get; } =
        typeof(SlsaProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static byte[] Statement(WorkItem item, Guid buildId, string image, bool built, string pool, string host, DateTimeOffset startedOn, DateTimeOffset finishedOn)
    {
        var at = image.IndexOf('@');
        var statement = new Dictionary<string, object?>
        {
            ["_type"] = StatementType,
            ["subject"] = new[] { new { name = image[..at], digest = Digest(image[(at + 1)..]) } },
            ["predicateType"] = PredicateType,
            ["predicate"] = new
            {
                buildDefinition = new
                {
                    buildType = BuildType,
                    externalParameters = new
                    {
                        plan_id = item.PlanId,
                        manifest_id = item.ManifestId,
                        idempotency_key = item.IdempotencyKey,
                        platform = item.Platform,
                        accelerator = item.Accelerator,
                        template = new { id = item.TemplateId, version = item.TemplateVersion },
                    },
                    // Which modules' RUN steps had the network: the rest of the build had none.
                    internalParameters = new { built, test_suite_id = item.TestSuiteId, network_modules = item.Modules.Where(m => m.BuildNetwork).Select(m => m.Name).ToArray() },
                    resolvedDependencies = Materials(item),
                },
                runDetails = new
                {
                    builder = new { id = $"https://factory.dev/executor/pool/{pool}", version = new Dictionary<string, string> { ["factory"] = FactoryVersion, ["host"] = host } },
                    metadata = new { invocationId = buildId.ToString(), startedOn, finishedOn },
                },
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(statement, StatementJson);
    }

    private static List<object> Materials(WorkItem item)
    {
        var materials = new List<object>
        {
            new { name = "base-image", uri = $"oci://{item.BaseImage}", digest = Digest(item.BaseDigest) },
        };
        materials.AddRange(item.Modules.Select(m => (object)new
        {
            name = $"module:{m.Slot}",
            uri = $"pkg:generic/factory-module/{m.Name}@{m.Version}",
            digest = Digest(m.ContentDigest),
        }));
        if (item.ManifestHash is { } manifest)
            materials.Add(new { name = $"manifest:{item.ManifestId}", uri = $"factory:manifest/{item.ManifestId}", digest = Digest(manifest) });
        materials.Add(new { name = $"test-suite:{item.TestSuiteId}", uri = $"factory:tests/{item.TestSuiteId}", digest = Digest(item.TestSuiteHash) });
        return materials;
    }

    private static Dictionary<string, string> Digest(string digest) =>
        digest.StartsWith("sha256:", StringComparison.Ordinal) ? new() { ["sha256"] = digest[7..] } : new() { ["sha256"] = digest };
}
