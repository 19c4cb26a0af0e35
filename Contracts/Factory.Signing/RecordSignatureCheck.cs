using System.Text.Json;
using Factory.Contracts.Records;

namespace Factory.Signing;

/// <summary>
/// Whether a record's DSSE envelope is signed by a trusted key and covers this very record: the one check behind
/// `factory verify`, the web UI's verify and the results consumer.
/// </summary>
public static class RecordSignatureCheck
{
    public static SignatureVerdict Check(CompatibilityRecord record, byte[]? envelopeJson, Func<DsseEnvelope, SignatureVerdict> trust)
    {
        if (envelopeJson is null) return SignatureVerdict.Refused(SignatureRefusal.Unsigned, "no record signature");
        DsseEnvelope envelope;
        try
        {
            envelope = DsseEnvelope.Parse(envelopeJson);
            if (envelope.Signatures is null || envelope.PayloadBytes.Length == 0) throw new JsonException("no signatures or no payload");
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return SignatureVerdict.Refused(SignatureRefusal.Invalid, "the record signature is not a DSSE envelope");
        }
        if (envelope.PayloadType != DsseEnvelope.RecordPayloadType)
            return SignatureVerdict.Refused(SignatureRefusal.Invalid, $"the record signature's payload type is {envelope.PayloadType}, expected {DsseEnvelope.RecordPayloadType}");
        var verdict = trust(envelope);
        if (!verdict.Trusted) return verdict;
        return envelope.PayloadBytes.AsSpan().SequenceEqual(CompatibilityRecordFactory.SignedPayload(record))
            ? verdict with { Detail = $"signed by trusted key {verdict.KeyId} and covers this record" }
            : SignatureVerdict.Refused(SignatureRefusal.Invalid, "the signature is valid but the signed record differs from this record");
    }
}
