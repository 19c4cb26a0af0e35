using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Signing;

/// <summary>
/// A DSSE envelope (https://github.com/secure-systems-lab/dsse): the signature covers
/// PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, with ECDSA P-256 / SHA-256 signatures
/// in DER form, base64-encoded, as in-toto and Sigstore tooling expect.
/// </summary>
public sealed record DsseEnvelope(
    [property: JsonPropertyName("payloadType")] string PayloadType,
    [property: JsonPropertyName("payload")] string Payload,
    [property: JsonPropertyName("signatures")] IReadOnlyList<DsseSignature> Signatures)
{
    public const string InTotoPayloadType = "application/vnd.in-toto+json";
    public const string RecordPayloadType = "application/vnd.factory.record+json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static DsseEnvelope Sign(string payloadType, byte[] payload, SigningKey key) =>
        new(payloadType, Convert.ToBase64String(payload),
            [new DsseSignature(key.KeyId, Convert.ToBase64String(key.Sign(PreAuthenticationEncoding(payloadType, payload))))]);

    public byte[] PayloadBytes => Convert.FromBase64String(Payload);

    /// <summary>True when one of the signatures is by this key over this envelope's type and payload.</summary>
    public bool IsSignedBy(SigningKey key)
    {
        var pae = PreAuthenticationEncoding(PayloadType, PayloadBytes);
        return Signatures.Any(s => s.KeyId == key.KeyId && key.Verify(pae, TryBase64(s.Sig)));
    }

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static DsseEnvelope Parse(byte[] json) =>
        JsonSerializer.Deserialize<DsseEnvelope>(json, Json) ?? throw new JsonException("not a DSSE envelope");

    public static byte[] PreAuthenticationEncoding(string payloadType, byte[] payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.UTF8.GetBytes($"DSSEv1 {type.Length} {payloadType} {payload.Length} ");
        return [.. header, .. payload];
    }

    internal static byte[] TryBase64(string text)
    {
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { return []; }
    }
}
