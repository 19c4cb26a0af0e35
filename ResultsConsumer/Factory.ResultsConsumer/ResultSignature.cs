using System.Security.Cryptography;
using System.Text;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Signing;

namespace Factory.ResultsConsumer;

/// <summary>
/// Whether a result may become a record: it carries a record signature, that signature is the record_signature
/// evidence it points at (so `verify` later finds the same one), it is by a trusted key, and it covers the record
/// this result makes.
/// </summary>
public static class ResultSignature
{
    public static SignatureVerdict Check(WorkItemCompleted result, Func<DsseEnvelope, SignatureVerdict> trust)
    {
        if (result.RecordSignature is null)
            return SignatureVerdict.Refused(SignatureRefusal.Unsigned, "unsigned: the result carries no record signature");
        var envelope = Encoding.UTF8.GetBytes(result.RecordSignature);
        var sha = Convert.ToHexStringLower(SHA256.HashData(envelope));
        var evidence = result.Evidence.Where(e => e.Kind == EvidenceKind.RecordSignature).ToList();
        if (evidence.Count != 1 || evidence[0].Sha256 != sha || evidence[0].Size != envelope.LongLength)
            return SignatureVerdict.Refused(SignatureRefusal.Invalid,
                $"the record signature (sha256 {sha[..16]}…) is not the one record_signature evidence entry the result points at");
        return RecordSignatureCheck.Check(CompatibilityRecordFactory.From(result, default), envelope, trust);
    }
}
