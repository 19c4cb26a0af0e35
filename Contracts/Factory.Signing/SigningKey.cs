using System.Security.Cryptography;

namespace Factory.Signing;

/// <summary>
/// An ECDSA P-256 key. Its id is "sha256:" + hex sha256 of the DER SubjectPublicKeyInfo, so a verifier holding
/// only the public key can tell which signature is its.
/// </summary>
public sealed class SigningKey : IDisposable
{
    private readonly ECDsa _key;
    public string KeyId { get; }
    public bool HasPrivateKey { get; }

    private SigningKey(ECDsa key, bool hasPrivateKey)
    {
        _key = key;
        HasPrivateKey = hasPrivateKey;
        KeyId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    public byte[] Sign(byte[] data) => _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public bool Verify(byte[] data, byte[] signature) =>
        signature.Length > 0 && _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public string PublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    public static SigningKey FromPem(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        if (key.KeySize != 256) throw new CryptographicException("expected an ECDSA P-256 key");
        return new SigningKey(key, pem.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    public static SigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), true);

    /// <summary>
    /// The private key at <paramref name="path"/>; generated there (with &lt;path&gt;.pub beside it) on first use. The file
    /// is created 0600 under a temporary name and renamed into place, so it never exists with wider permissions, and
    /// several processes starting at once agree on one key: the first rename wins. A key that group or others can
    /// read is refused: it may already have been copied.
    /// </summary>
    public static SigningKey LoadOrCreate(string path)
    {
        try
        {
            return LoadOrCreateFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            // One kind of failure for every caller: a key that cannot be read, written or parsed is bad set-up.
            throw new TrustSetupException($"signing key {path}: {ex.Message} (expected an ECDSA P-256 private key, PKCS#8 PEM, mode 0600)");
        }
    }

    private static SigningKey LoadOrCreateFile(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using var fresh = Generate();
            var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(temp, System.Text.Encoding.ASCII, create)) writer.Write(fresh._key.ExportPkcs8PrivateKeyPem());
            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
            }
        }
        if (PrivateKeyFile.Refusal(path) is { } refusal) throw new TrustSetupException(refusal);
        var key = FromPem(File.ReadAllText(path));
        var pub = path + ".pub";
        if (!File.Exists(pub)) File.WriteAllText(pub, key.PublicKeyPem());
        return key;
    }

    public void Dispose() => _key.Dispose();
}
