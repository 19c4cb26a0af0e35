using System.Diagnostics.CodeAnalysis;

namespace Factory.Evidence;

/// <summary>
/// The two forms of evidence URI: <c>local:sha256/&lt;hex&gt;</c> (a file under a state directory) and
/// <c>s3://&lt;bucket&gt;/sha256/&lt;hex&gt;</c> (an object in a bucket). Both end in the content's sha256.
/// </summary>
public sealed record EvidenceAddress(string? Bucket, string Sha256)
{
    public const string LocalScheme = "local:";
    public const string S3Scheme = "s3://";
    public const string KeyPrefix = "sha256/";

    public bool IsLocal => Bucket is null;
    /// <summary>The object key in a bucket (and the path under evidence/ on disk, without the fan-out folder).</summary>
    public string Key => KeyPrefix + Sha256;
    public string Uri => IsLocal ? LocalScheme + Key : $"{S3Scheme}{Bucket}/{Key}";

    public static EvidenceAddress Local(string sha256) => new(null, sha256);
    public static EvidenceAddress S3(string bucket, string sha256) => new(bucket, sha256);

    public static bool TryParse(string? uri, [NotNullWhen(true)] out EvidenceAddress? address)
    {
        address = null;
        if (uri is null) return false;
        if (uri.StartsWith(LocalScheme + KeyPrefix, StringComparison.Ordinal))
        {
            var hex = uri[(LocalScheme.Length + KeyPrefix.Length)..];
            if (IsSha256(hex)) address = Local(hex);
        }
        else if (uri.StartsWith(S3Scheme, StringComparison.Ordinal))
        {
            var rest = uri[S3Scheme.Length..];
            var slash = rest.IndexOf('/');
            if (slash > 0 && rest[(slash + 1)..].StartsWith(KeyPrefix, StringComparison.Ordinal))
            {
                var hex = rest[(slash + 1 + KeyPrefix.Length)..];
                if (IsSha256(hex)) address = S3(rest[..slash], hex);
            }
        }
        return address is not null;
    }

    public static EvidenceAddress Parse(string uri) => TryParse(uri, out var address)
        ? address
        : throw new ArgumentException($"not an evidence URI: {uri} (expected local:sha256/<hex> or s3://<bucket>/sha256/<hex>, with 64 lowercase hex digits)", nameof(uri));

    public static bool IsSha256(string hex) => hex.Length == 64 && hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
