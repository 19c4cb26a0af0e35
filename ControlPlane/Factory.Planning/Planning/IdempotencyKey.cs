using System.Text;

namespace Factory.Planning;

/// <summary>
/// The identity of a build: sha256 (lower-case hex) over this canonical UTF-8 text, each line ending in "\n":
/// <code>
/// factory-idempotency-key/v1
/// template.id=&lt;template id&gt;
/// template.version=&lt;template version&gt;
/// base.digest=&lt;sha256:… of the base image manifest for the platform&gt;
/// platform=&lt;os/arch&gt;
/// accelerator=&lt;none|gpu&gt;
/// module.&lt;slot&gt;=&lt;version&gt;        (one line per slot, slots in ordinal order)
/// </code>
/// Values are validated names and versions, so they hold no newline or '='. Module content is not hashed:
/// a released module version is immutable (validation enforces it). The test suite is hashed separately.
/// <see cref="IdempotencyKeyHasher"/> encodes the text; for many combinations of one template, base and platform, use one hasher.
/// </summary>
public static class IdempotencyKey
{
    public const string EncodingVersion = "factory-idempotency-key/v1";

    public static string CanonicalText(string templateId, string templateVersion, string baseDigest, string platform, string? accelerator, IReadOnlyDictionary<string, string> modules) =>
        Encoding.UTF8.GetString(new IdempotencyKeyHasher(templateId, templateVersion, baseDigest, platform, accelerator, modules.Keys).CanonicalBytes(modules));

    public static string Compute(string templateId, string templateVersion, string baseDigest, string platform, string? accelerator, IReadOnlyDictionary<string, string> modules) =>
        new IdempotencyKeyHasher(templateId, templateVersion, baseDigest, platform, accelerator, modules.Keys).Compute(modules);
}
