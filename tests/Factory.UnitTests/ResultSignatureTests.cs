using Factory.Contracts.Records;
using Factory.ResultsConsumer;
using Factory.Signing;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>ResultSignature.Check: the results consumer's decision whether a result may become a record.</summary>
public sealed class ResultSignatureTests : IDisposable
{
    private readonly SigningKey _executor = SigningKey.Generate();
    private readonly SigningKey _forger = SigningKey.Generate();
    private readonly Keyring _keyring;

    public ResultSignatureTests() => _keyring = Keyring.Of("test-keyring", SigningKey.FromPem(_executor.PublicKeyPem()));

    public void Dispose()
    {
        _executor.Dispose();
        _forger.Dispose();
        _keyring.Dispose();
    }

    [Fact]
    public void A_result_signed_by_a_trusted_key_is_trusted_by_that_key_id()
    {
        var verdict = ResultSignature.Check(SignedResults.Sign(SignedResults.Unsigned(), _executor), _keyring.Verify);
        Assert.True(verdict.Trusted, verdict.Detail);
        Assert.Equal(_executor.KeyId, verdict.KeyId);
    }

    [Fact]
    public void An_unsigned_result_is_refused()
    {
        var verdict = ResultSignature.Check(SignedResults.Unsigned(), _keyring.Verify);
        Assert.Equal(SignatureRefusal.Unsigned, verdict.Refusal);
        Assert.Contains("unsigned", verdict.Detail);
    }

    [Fact]
    public void A_result_signed_by_a_key_outside_the_keyring_is_refused_naming_the_key()
    {
        var verdict = ResultSignature.Check(SignedResults.Sign(SignedResults.Unsigned(), _forger), _keyring.Verify);
        Assert.Equal(SignatureRefusal.UnknownKey, verdict.Refusal);
        Assert.Contains(_forger.KeyId, verdict.Detail);
    }

    [Fact]
    public void A_failed_result_changed_to_passed_after_signing_is_refused()
    {
        var signed = SignedResults.Sign(SignedResults.Unsigned(status: RecordStatus.Failed), _executor);
        var verdict = ResultSignature.Check(signed with { Status = RecordStatus.Passed }, _keyring.Verify);
        Assert.Equal(SignatureRefusal.Invalid, verdict.Refusal);
        Assert.Contains("the signed record differs from this record", verdict.Detail);
    }

    [Fact]
    public void A_signature_that_is_not_the_record_signature_evidence_the_result_points_at_is_refused()
    {
        var signed = SignedResults.Sign(SignedResults.Unsigned(), _executor);
        var other = SignedResults.Sign(SignedResults.Unsigned(key: "key2"), _executor);
        var verdict = ResultSignature.Check(signed with { Evidence = other.Evidence }, _keyring.Verify);
        Assert.Equal(SignatureRefusal.Invalid, verdict.Refusal);
        Assert.Contains("not the one record_signature evidence entry", verdict.Detail);
    }

    [Fact]
    public void A_record_signature_that_is_not_an_envelope_is_refused()
    {
        var signed = SignedResults.Sign(SignedResults.Unsigned(), _executor);
        var garbage = "not json";
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(garbage)));
        var verdict = ResultSignature.Check(signed with
        {
            RecordSignature = garbage,
            Evidence = [new EvidenceRef(EvidenceKind.RecordSignature, "local:x", sha, garbage.Length)],
        }, _keyring.Verify);
        Assert.Equal(SignatureRefusal.Invalid, verdict.Refusal);
        Assert.Contains("not a DSSE envelope", verdict.Detail);
    }

    [Fact]
    public void The_key_that_signed_is_not_part_of_what_is_signed_so_a_stored_record_still_verifies()
    {
        var signed = SignedResults.Sign(SignedResults.Unsigned(), _executor);
        var stored = CompatibilityRecordFactory.From(signed, SampleRecords.T0) with { SignedBy = _executor.KeyId };
        var verdict = RecordSignatureCheck.Check(stored, System.Text.Encoding.UTF8.GetBytes(signed.RecordSignature!), _keyring.Verify);
        Assert.True(verdict.Trusted, verdict.Detail);
    }
}
