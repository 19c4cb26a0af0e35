namespace Factory.Signing;

/// <summary>A signature checked against a keyring: trusted (by <see cref="KeyId"/>) or refused, with the reason.</summary>
public sealed record SignatureVerdict(SignatureRefusal Refusal, string? KeyId, string Detail)
{
    public bool Trusted => Refusal == SignatureRefusal.None;

    public static SignatureVerdict Trust(string keyId) => new(SignatureRefusal.None, keyId, $"signed by trusted key {keyId}");

    public static SignatureVerdict Refused(SignatureRefusal why, string detail) => new(why, null, detail);
}
