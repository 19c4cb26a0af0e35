namespace Factory.Signing;

/// <summary>Why a signature is not trusted.</summary>
public enum SignatureRefusal
{
    None,
    /// <summary>No signature at all, or none where one is required.</summary>
    Unsigned,
    /// <summary>Signed by a key the keyring does not hold.</summary>
    UnknownKey,
    /// <summary>A trusted key's signature that does not verify, or a valid one over something else.</summary>
    Invalid,
}
