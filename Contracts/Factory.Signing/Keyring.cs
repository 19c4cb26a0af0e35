using System.Security.Cryptography;

namespace Factory.Signing;

/// <summary>
/// The public keys whose signatures are trusted, by key id. Loaded from a directory of PEM files (*.pem, *.pub; a file
/// may hold several keys) or from one PEM file. Nothing else is trusted: not the .pub that sits beside the data.
/// Rotation is adding the new key and keeping the old one while records it signed should still verify.
/// </summary>
public sealed class Keyring : IDisposable
{
    private const string PublicKeyBegin = "-----BEGIN PUBLIC KEY-----";
    private const string PublicKeyEnd = "-----END PUBLIC KEY-----";
    private readonly Dictionary<string, SigningKey> _keys;

    public string Source { get; }
    public int Count => _keys.Count;
    public IEnumerable<string> KeyIds => _keys.Keys;

    private Keyring(string source, IEnumerable<SigningKey> keys)
    {
        Source = source;
        _keys = new Dictionary<string, SigningKey>(StringComparer.Ordinal);
        foreach (var key in keys) _keys.TryAdd(key.KeyId, key);
    }

    public static Keyring Of(string source, params SigningKey[] keys) => new(source, keys);

    public SigningKey? Find(string keyId) => _keys.GetValueOrDefault(keyId);

    /// <summary>
    /// Whether a signature of the envelope is by a key of this keyring over its type and payload. The key is picked by the
    /// signature's keyid; a signature without one is tried against every key (DSSE makes keyid optional).
    /// </summary>
    public SignatureVerdict Verify(DsseEnvelope envelope)
    {
        if (envelope.Signatures.Count == 0) return SignatureVerdict.Refused(SignatureRefusal.Unsigned, "the envelope has no signature");
        var pae = DsseEnvelope.PreAuthenticationEncoding(envelope.PayloadType, envelope.PayloadBytes);
        var invalid = new List<string>();
        foreach (var signature in envelope.Signatures)
        {
            var sig = DsseEnvelope.TryBase64(signature.Sig);
            IEnumerable<SigningKey> candidates = string.IsNullOrEmpty(signature.KeyId) ? _keys.Values : Find(signature.KeyId) is { } key ? [key] : [];
            foreach (var candidate in candidates)
            {
                if (candidate.Verify(pae, sig)) return SignatureVerdict.Trust(candidate.KeyId);
                invalid.Add(candidate.KeyId);
            }
        }
        if (invalid.Count > 0)
            return SignatureVerdict.Refused(SignatureRefusal.Invalid, $"the signature by trusted key {invalid[0]} does not verify (tampered, or signed over other content)");
        var ids = string.Join(", ", envelope.Signatures.Select(s => string.IsNullOrEmpty(s.KeyId) ? "(no keyid)" : s.KeyId));
        return SignatureVerdict.Refused(SignatureRefusal.UnknownKey, $"signed by {ids}, which is not in the keyring {Source} ({Count} trusted keys)");
    }

    /// <summary>The keyring at <paramref name="path"/>: a directory of PEM public keys, or one PEM file.</summary>
    public static Keyring Load(string path)
    {
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path).Where(f => f.EndsWith(".pem", StringComparison.Ordinal) || f.EndsWith(".pub", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : File.Exists(path) ? [path]
            : throw new TrustSetupException($"no keyring at {path}: expected a directory of trusted public keys (PEM files *.pem or *.pub) or one PEM file (--keyring, FACTORY_KEYRING or Signing:Keyring)");
        return new Keyring(path, files.SelectMany(ReadKeys).ToList());
    }

    private static IEnumerable<SigningKey> ReadKeys(string file)
    {
        var text = File.ReadAllText(file);
        if (text.Contains("PRIVATE KEY", StringComparison.Ordinal))
            throw new TrustSetupException($"keyring file {file} holds a private key: expected public keys only (PEM '{PublicKeyBegin}')");
        var keys = new List<SigningKey>();
        for (var start = text.IndexOf(PublicKeyBegin, StringComparison.Ordinal); start >= 0; start = text.IndexOf(PublicKeyBegin, start + 1, StringComparison.Ordinal))
        {
            var end = text.IndexOf(PublicKeyEnd, start, StringComparison.Ordinal);
            if (end < 0) throw new TrustSetupException($"keyring file {file}: a public key has no '{PublicKeyEnd}' line");
            try
            {
                keys.Add(SigningKey.FromPem(text[start..(end + PublicKeyEnd.Length)]));
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                throw new TrustSetupException($"keyring file {file}: not an ECDSA P-256 public key ({ex.Message})");
            }
        }
        if (keys.Count == 0) throw new TrustSetupException($"keyring file {file} holds no public key: expected PEM '{PublicKeyBegin}' blocks");
        return keys;
    }

    /// <summary>
    /// Adds <paramref name="key"/>'s public half to the keyring directory as &lt;keyid&gt;.pub (written whole, then renamed
    /// into place). True when it was not there yet.
    /// </summary>
    public static bool Enrol(string directory, SigningKey key)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, key.KeyId.Replace(':', '-') + ".pub");
        if (File.Exists(path)) return false;
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temp, key.PublicKeyPem());
        File.Move(temp, path, overwrite: true);
        return true;
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values) key.Dispose();
    }
}
