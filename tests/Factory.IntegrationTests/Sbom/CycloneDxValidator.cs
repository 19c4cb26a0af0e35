using System.Text;
using Factory.Executor.Engine;
using Factory.IntegrationTests.Infrastructure;
using NJsonSchema;

namespace Factory.IntegrationTests.Sbom;

/// <summary>
/// The official CycloneDX 1.6 JSON schema from npm (tests/schemas/install.sh puts it under .build/npm): the
/// CycloneDX library's strict validator through tests/schemas/validate.mjs, and NJsonSchema on the same files.
/// </summary>
public static class CycloneDxValidator
{
    private static readonly Lazy<Task> Installed = new(InstallAsync);
    private static readonly Lazy<Task<JsonSchema>> Schema = new(async () =>
    {
        await Installed.Value;
        return await JsonSchema.FromFileAsync(Path.Combine(NpmPrefix, "node_modules", "@cyclonedx", "cyclonedx-library", "res", "schema", "bom-1.6.SNAPSHOT.schema.json"));
    });

    private static string NpmPrefix => Environment.GetEnvironmentVariable("FACTORY_NPM_PREFIX") is { Length: > 0 } prefix ? prefix : Path.Combine(RepoRoot.Path, ".build", "npm");

    /// <summary>Asserts both validators accept the document, with their errors as the message when not.</summary>
    public static async Task AssertValidAsync(byte[] json)
    {
        await Installed.Value;
        var file = Path.Combine(Path.GetTempPath(), $"factory-sbom-{Guid.NewGuid():N}.cdx.json");
        await File.WriteAllBytesAsync(file, json);
        try
        {
            var node = await ProcessRunner.RunAsync("node", [Path.Combine(RepoRoot.Path, "tests", "schemas", "validate.mjs"), file],
                new Dictionary<string, string> { ["FACTORY_NPM_PREFIX"] = NpmPrefix }, TimeSpan.FromMinutes(1));
            Assert.True(node.ExitCode == 0, $"CycloneDX npm validator (exit {node.ExitCode}):\n{node.Combined}");
        }
        finally
        {
            File.Delete(file);
        }
        var errors = (await Schema.Value).Validate(Encoding.UTF8.GetString(json));
        Assert.True(errors.Count == 0, "NJsonSchema:\n" + string.Join("\n", errors));
    }

    private static async Task InstallAsync()
    {
        var result = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoRoot.Path, "tests", "schemas", "install.sh"), NpmPrefix], timeout: TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0) throw new InvalidOperationException($"tests/schemas/install.sh failed (exit {result.ExitCode}):\n{result.Combined}");
    }
}
