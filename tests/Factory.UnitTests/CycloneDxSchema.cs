using System.Text;
using System.Text.Json.Nodes;
using Factory.Executor.Engine;
using Factory.Executor.Sbom;
using Factory.UnitTests.Support;
using NJsonSchema;

namespace Factory.UnitTests;

/// <summary>The official CycloneDX 1.6 schema, installed from npm by tests/schemas/install.sh (.build/npm).</summary>
public static class CycloneDxSchema
{
    private static readonly Lazy<Task> Installed = new(InstallAsync);
    private static readonly Lazy<Task<JsonSchema>> Schema = new(async () =>
    {
        await Installed.Value;
        return await JsonSchema.FromFileAsync(Path.Combine(SchemaDirectory, "bom-1.6.SNAPSHOT.schema.json"));
    });

    public static string NpmPrefix => Environment.GetEnvironmentVariable("FACTORY_NPM_PREFIX") is { Length: > 0 } prefix ? prefix : Path.Combine(RepoPaths.Root, ".build", "npm");
    public static string SchemaDirectory => Path.Combine(NpmPrefix, "node_modules", "@cyclonedx", "cyclonedx-library", "res", "schema");

    /// <summary>node tests/schemas/validate.mjs: exit 0 valid, 1 invalid (errors on stdout); anything else fails the test.</summary>
    public static async Task<(bool Valid, string Output)> ValidateWithNodeAsync(byte[] json)
    {
        await Installed.Value;
        var file = Path.Combine(Path.GetTempPath(), $"factory-sbom-{Guid.NewGuid():N}.cdx.json");
        await File.WriteAllBytesAsync(file, json);
        try
        {
            var result = await ProcessRunner.RunAsync("node", [Path.Combine(RepoPaths.Root, "tests", "schemas", "validate.mjs"), file],
                new Dictionary<string, string> { ["FACTORY_NPM_PREFIX"] = NpmPrefix }, TimeSpan.FromMinutes(1));
            Assert.True(result.ExitCode is 0 or 1, $"validate.mjs could not judge (exit {result.ExitCode}):\n{result.Combined}");
            return (result.ExitCode == 0, result.Combined);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static async Task<ICollection<NJsonSchema.Validation.ValidationError>> ValidateWithNJsonSchemaAsync(byte[] json) =>
        (await Schema.Value).Validate(Encoding.UTF8.GetString(json));

    private static async Task InstallAsync()
    {
        var result = await ProcessRunner.RunAsync("bash", [Path.Combine(RepoPaths.Root, "tests", "schemas", "install.sh"), NpmPrefix], timeout: TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0) throw new InvalidOperationException($"tests/schemas/install.sh failed (exit {result.ExitCode}):\n{result.Combined}");
    }
}
