using System.Security.Cryptography;
using System.Text.Json;
using Factory.Contracts.Records;
using Factory.Evidence;
using Factory.Signing;

namespace Factory.Evidence.Verification;

/// <summary>
/// Checks a record end to end: every evidence object re-hashed against the record, the record's DSSE signature
/// (by a key of the keyring, and that it covers this very record), and the provenance's signature, subject and
/// materials. The keyring is the only trust: a .pub stored beside the records or evidence counts for nothing.
/// </summary>
public sealed class RecordVerifier(EvidenceStores evidence, Keyring keyring)
{
    public async Task<IReadOnlyList<VerificationCheck>> VerifyAsync(CompatibilityRecord record, CancellationToken ct)
    {
        var checks = new List<VerificationCheck>();
        var contents = new Dictionary<string, byte[]>();
        foreach (var entry in record.Evidence)
        {
            var what = $"{entry.Kind} {entry.Name} {entry.Uri}";
            // Only the signatures are read whole (they are small and parsed); the rest, a full test output of hundreds of
            // MB among them, is hashed as it streams by.
            var keep = entry.Kind is EvidenceKind.RecordSignature or EvidenceKind.Provenance;
            (string Sha, long Size, byte[]? Content) read;
            try
            {
                read = keep ? Whole(await evidence.GetAsync(entry.Uri, ct)) : await HashAsync(entry.Uri, ct);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or EvidenceNotFoundException or Factory.Contracts.Failures.InfrastructureException)
            {
                checks.Add(new(what, false, $"cannot be read: {ex.Message}"));
                continue;
            }
            var ok = read.Sha == entry.Sha256 && read.Size == entry.Size && entry.Uri.EndsWith("/" + read.Sha, StringComparison.Ordinal);
            checks.Add(new(what, ok, ok ? $"sha256 {read.Sha[..16]}… and size {entry.Size} match" : $"sha256 {read.Sha} size {read.Size}, record says {entry.Sha256} size {entry.Size}"));
            if (ok && read.Content is { } content) contents[entry.Kind] = content;
        }

        checks.Add(CheckRecordSignature(record, contents.GetValueOrDefault(EvidenceKind.RecordSignature)));
        if (record.Image is not null) checks.Add(CheckProvenance(record, contents.GetValueOrDefault(EvidenceKind.Provenance)));
        return checks;
    }

    private static (string Sha, long Size, byte[]? Content) Whole(byte[] content) =>
        (Convert.ToHexStringLower(SHA256.HashData(content)), content.LongLength, content);

    private async Task<(string Sha, long Size, byte[]? Content)> HashAsync(string uri, CancellationToken ct)
    {
        await using var stream = await evidence.OpenReadAsync(uri, ct);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long size = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            size += read;
        }
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size, null);
    }

    private VerificationCheck CheckRecordSignature(CompatibilityRecord record, byte[]? envelopeJson)
    {
        const string what = "record signature";
        if (envelopeJson is null) return new(what, false, "no readable record_signature evidence");
        var verdict = RecordSignatureCheck.Check(record, envelopeJson, keyring.Verify);
        return new(what, verdict.Trusted, verdict.Detail);
    }

    private VerificationCheck CheckProvenance(CompatibilityRecord record, byte[]? envelopeJson)
    {
        const string what = "provenance";
        if (envelopeJson is null) return new(what, false, "no readable provenance evidence");
        var envelope = Parse(envelopeJson);
        if (envelope is null || envelope.PayloadType != DsseEnvelope.InTotoPayloadType) return new(what, false, "provenance is not an in-toto DSSE envelope");
        if (keyring.Verify(envelope) is { Trusted: false } refused) return new(what, false, refused.Detail);
        using var statement = JsonDocument.Parse(envelope.PayloadBytes);
        var root = statement.RootElement;
        var subject = root.GetProperty("subject")[0].GetProperty("digest").GetProperty("sha256").GetString();
        var image = record.Image ?? "";
        var imageDigest = image[(image.IndexOf("@sha256:", StringComparison.Ordinal) + 8)..];
        if (subject != imageDigest) return new(what, false, $"subject sha256:{subject} is not the record's image {record.Image}");
        var definition = root.GetProperty("predicate").GetProperty("buildDefinition");
        if (definition.GetProperty("externalParameters").GetProperty("idempotency_key").GetString() != record.IdempotencyKey)
            return new(what, false, "provenance names another idempotency key");
        var materials = definition.GetProperty("resolvedDependencies").EnumerateArray()
            .Select(m => "sha256:" + m.GetProperty("digest").GetProperty("sha256").GetString()).ToHashSet();
        var missing = new[] { record.BaseDigest, "sha256:" + record.TestSuiteHash }.Concat(record.Modules.Select(m => m.ContentDigest)).Where(d => !materials.Contains(d)).ToList();
        return missing.Count == 0
            ? new(what, true, $"signed; subject is the image; {materials.Count} materials include the base, every module and the test suite")
            : new(what, false, $"materials lack {string.Join(", ", missing)}");
    }

    private static DsseEnvelope? Parse(byte[] json)
    {
        try { return DsseEnvelope.Parse(json); }
        catch (JsonException) { return null; }
    }
}
