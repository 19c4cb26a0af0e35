using System.Text;
using System.Text.Json.Nodes;
using Factory.Executor.Engine;
using Factory.Executor.Sbom;
using Factory.UnitTests.Support;
using NJsonSchema;

namespace Factory.UnitTests;

/// <summary>
/// Generated SBOMs validate against the official CycloneDX 1.6 JSON schema, judged twice: by the CycloneDX npm
/// library's strict validator (ajv, through tests/schemas/validate.mjs) and by NJsonSchema on the same schema
/// files. Broken documents fail both, so a validator that accepts anything cannot pass these tests.
/// </summary>
public sealed class SbomSchemaTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Samples() => ["debian", "alpine", "modules-only"];

    private static byte[] Sample(string name) => SbomGenerator.Generate(SbomSamples.Item(), SbomSamples.Image, name switch
    {
        "debian" => SbomSamples.DebianFiles(),
        "alpine" => SbomSamples.AlpineFiles(),
        _ => new Dictionary<string, byte[]>(),
    }, At, Guid.NewGuid()).Content;

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task A_generated_sbom_is_valid_for_the_npm_validator(string sample)
    {
        var (valid, output) = await CycloneDxSchema.ValidateWithNodeAsync(Sample(sample));

        Assert.True(valid, output);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task A_generated_sbom_is_valid_for_njsonschema(string sample)
    {
        var errors = await CycloneDxSchema.ValidateWithNJsonSchemaAsync(Sample(sample));

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private const string Zeros = "0000000000000000000000000000000000000000000000000000000000000000";

    public static TheoryData<string, string> Breakages() => new()
    {
        { "component without a name", "components/1 -name" },
        { "component type outside the enum", "components/1 type=librar" },
        { "serial number that is not a urn:uuid", "serialNumber=\"urn:uuid:12345\"" },
        { "hash algorithm outside the enum", "components/-1 hashes=[{\"alg\":\"SHA256\",\"content\":\"" + Zeros + "\"}]" },
        { "property the schema does not know", "components/1 packageUrl=\"pkg:deb/x@1\"" },
        { "spec version as a number", "specVersion=1.6" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task A_broken_sbom_is_invalid_for_both_validators(string breakage, string edit)
    {
        var broken = Break(Sample("debian"), edit);

        var (valid, output) = await CycloneDxSchema.ValidateWithNodeAsync(broken);
        var errors = await CycloneDxSchema.ValidateWithNJsonSchemaAsync(broken);

        Assert.False(valid, $"{breakage}: the npm validator accepted it\n{output}");
        Assert.True(errors.Count > 0, $"{breakage}: NJsonSchema accepted it");
    }

    /// <summary>"path key=json" sets a member (a bare value is a string), "path -key" removes one; path is "" or "components/N" (-1: the last).</summary>
    private static byte[] Break(byte[] json, string edit)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var (path, change) = edit.Contains(' ') ? (edit[..edit.IndexOf(' ')], edit[(edit.IndexOf(' ') + 1)..]) : ("", edit);
        var target = root;
        if (path.StartsWith("components/", StringComparison.Ordinal))
        {
            var components = root["components"]!.AsArray();
            var index = int.Parse(path["components/".Length..], System.Globalization.CultureInfo.InvariantCulture);
            target = components[index < 0 ? components.Count + index : index]!.AsObject();
        }
        if (change.StartsWith('-')) Assert.True(target.Remove(change[1..]), $"no {change[1..]} to remove");
        else
        {
            var (key, value) = (change[..change.IndexOf('=')], change[(change.IndexOf('=') + 1)..]);
            target[key] = value.Length > 0 && (value[0] is '[' or '{' or '"' || char.IsAsciiDigit(value[0])) ? JsonNode.Parse(value) : JsonValue.Create(value);
        }
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
