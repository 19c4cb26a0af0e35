namespace Factory.Contracts.Failures;

/// <summary>
/// A result whose record signature does not verify against the keyring (unsigned, an unknown key, tampered). It is
/// never recorded; trying again changes nothing, so it goes to the dead-letter queue at once with this reason.
/// </summary>
public sealed class UntrustedResultException(Guid buildId, string reason)
    : Exception($"result of build {buildId} refused: {reason}"), IClassifiedFailure
{
    public string Reason { get; } = reason;
    public string Classification => FailureClassification.UntrustedResult;
}
