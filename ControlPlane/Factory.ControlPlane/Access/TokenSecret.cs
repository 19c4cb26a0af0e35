using System.Security.Cryptography;
using System.Text;

namespace Factory.ControlPlane.Access;

/// <summary>
/// A bearer token is "factory_&lt;id&gt;_&lt;secret&gt;": the id finds the row, the secret (32 random bytes) is checked against
/// its SHA-256 in constant time. A hash without salt is enough: the secret has 256 bits of entropy, nothing to guess.
/// </summary>
public static class TokenSecret
{
    private const string Prefix = "factory_";

    public static (string Bearer, string Id, byte[] Hash) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return ($"{Prefix}{id}_{secret}", id, Hash(secret));
    }

    /// <summary>The id and secret of a bearer value, or false when it is not shaped like one of ours.</summary>
    public static bool TryParse(string? bearer, out string id, out string secret)
    {
        (id, secret) = ("", "");
        if (bearer is null || !bearer.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var rest = bearer[Prefix.Length..];
        var split = rest.IndexOf('_');
        if (split != 16) return false;
        (id, secret) = (rest[..split], rest[(split + 1)..]);
        return secret.Length > 0;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(string secret, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
