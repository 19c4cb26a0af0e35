using Factory.Manifests;

namespace Factory.Evidence;

/// <summary>An S3-compatible object store (Ceph RGW here): path-style addressing, one bucket for all evidence.</summary>
public sealed class S3EvidenceOptions
{
    public string ServiceUrl { get; set; } = "";
    public string Bucket { get; set; } = "factory-evidence";
    public string AccessKey { get; set; } = "";
    public string SecretKey { get; set; } = "";
    public string Region { get; set; } = "us-east-1";

    /// <summary>Time allowed for one HTTP call (connect + transfer).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>The circuit opens when at least this share of calls failed in the sampling window...</summary>
    public double FailureRatio { get; set; } = 0.5;
    /// <summary>...and at least this many calls were made in it. (A failed call is not retried here: the work item is, by the bus.)</summary>
    public int MinimumThroughput { get; set; } = 8;
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long an open circuit fails calls at once before it lets one through again.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    public S3EvidenceOptions WithBucket(string bucket)
    {
        var copy = (S3EvidenceOptions)MemberwiseClone();
        copy.Bucket = bucket;
        return copy;
    }

    internal IEnumerable<InputError> Problems()
    {
        const string prefix = $"{EvidenceOptions.Section}:S3:";
        InputError Error(string key, string message) => new("configuration", prefix + key, message);
        if (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            yield return Error("ServiceUrl", $"an http(s) URL of the S3 endpoint is required when {EvidenceOptions.Section}:Store is s3, found {Names.Quote(ServiceUrl)}");
        if (string.IsNullOrWhiteSpace(Bucket)) yield return Error("Bucket", "a bucket name is required");
        if (string.IsNullOrEmpty(AccessKey)) yield return Error("AccessKey", $"required when {EvidenceOptions.Section}:Store is s3");
        if (string.IsNullOrEmpty(SecretKey)) yield return Error("SecretKey", $"required when {EvidenceOptions.Section}:Store is s3");
        if (FailureRatio is <= 0 or > 1) yield return Error("FailureRatio", "must be in (0, 1]");
        if (MinimumThroughput < 2) yield return Error("MinimumThroughput", "must be at least 2");
        if (SamplingDuration < TimeSpan.FromMilliseconds(500)) yield return Error("SamplingDuration", "must be at least 0.5 s");
        if (BreakDuration < TimeSpan.FromMilliseconds(500)) yield return Error("BreakDuration", "must be at least 0.5 s");
        if (Timeout <= TimeSpan.Zero) yield return Error("Timeout", "must be positive");
    }
}
