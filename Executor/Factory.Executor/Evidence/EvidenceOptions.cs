using Factory.Manifests;
using Microsoft.Extensions.Configuration;

namespace Factory.Executor.Evidence;

/// <summary>
/// The configuration section <c>Evidence</c>: where evidence is written (<c>Store: local|s3</c>), the S3
/// connection, and how long evidence is kept. As environment variables: <c>Evidence__Store=s3</c>,
/// <c>Evidence__S3__ServiceUrl=http://127.0.0.1:7480</c>, <c>Evidence__Retention__FailedDays=14</c>, ...
/// </summary>
public sealed class EvidenceOptions
{
    public const string Section = "Evidence";
    public const string LocalStore = "local";
    public const string S3Store = "s3";

    /// <summary>local (files under the state directory, the default) or s3.</summary>
    public string Store { get; set; } = LocalStore;
    public S3EvidenceOptions S3 { get; set; } = new();
    public RetentionOptions Retention { get; set; } = new();

    public bool UsesS3 => string.Equals(Store, S3Store, StringComparison.OrdinalIgnoreCase);

    /// <summary>Binds the Evidence section and checks it; bad settings are an <see cref="InvalidInputException"/> naming the key.</summary>
    public static EvidenceOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<EvidenceOptions>() ?? new EvidenceOptions();
        options.Validate();
        return options;
    }

    public void Validate()
    {
        var errors = new List<InputError>();
        if (!UsesS3 && !string.Equals(Store, LocalStore, StringComparison.OrdinalIgnoreCase))
            errors.Add(new InputError("configuration", $"{Section}:Store", $"expected local or s3, found {Names.Quote(Store)}"));
        if (UsesS3) errors.AddRange(S3.Problems());
        if (Retention.FailedDays < 0) errors.Add(new InputError("configuration", $"{Section}:Retention:FailedDays", "must not be negative"));
        if (Retention.UnreferencedDays < 0) errors.Add(new InputError("configuration", $"{Section}:Retention:UnreferencedDays", "must not be negative"));
        if (Retention.MinAgeHours < 0) errors.Add(new InputError("configuration", $"{Section}:Retention:MinAgeHours", "must not be negative"));
        if (errors.Count > 0) throw new InvalidInputException(errors);
    }
}

/// <summary>An S3-compatible object store (Ceph RGW here): path-style addressing, one bucket for all evidence.</summary>
public sealed class S3EvidenceOptions
{
    public string ServiceUrl { get; set; } = "";
    public string Bucket { get; set; } = "factory-evidence";
    public string AccessKey { get; set; } = "";
    public string SecretKey { get; set; } = "";
    public string Region { get; set; } = "us-east-1";

    /// <summary>Retries of a failed call (connection refused, timeout, 5xx), with exponential backoff and jitter.</summary>
    public int Retries { get; set; } = 3;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Time allowed for one HTTP call (connect + transfer).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>The circuit opens when at least this share of calls failed in the sampling window...</summary>
    public double FailureRatio { get; set; } = 0.5;
    /// <summary>...and at least this many calls (attempts, retries included) were made in it.</summary>
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
        if (Retries < 0) yield return Error("Retries", "must not be negative");
        if (FailureRatio is <= 0 or > 1) yield return Error("FailureRatio", "must be in (0, 1]");
        if (MinimumThroughput < 2) yield return Error("MinimumThroughput", "must be at least 2");
        if (SamplingDuration < TimeSpan.FromMilliseconds(500)) yield return Error("SamplingDuration", "must be at least 0.5 s");
        if (BreakDuration < TimeSpan.FromMilliseconds(500)) yield return Error("BreakDuration", "must be at least 0.5 s");
        if (Timeout <= TimeSpan.Zero) yield return Error("Timeout", "must be positive");
    }
}

/// <summary>
/// How long evidence is kept (<c>factory evidence gc</c>). An object is removed only when no retained record refers
/// to it (objects are content-addressed and shared): a failed record is retained for <see cref="FailedDays"/>; a passing
/// record while it is the newest record of its key (or always, when <see cref="PassingWhileCurrent"/> is false); an
/// expired record has no evidence.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>Evidence of failed records older than this many days may be removed.</summary>
    public int FailedDays { get; set; } = 14;
    /// <summary>Keep a passing record's evidence only while it is the newest record of its key.</summary>
    public bool PassingWhileCurrent { get; set; } = true;
    /// <summary>An object no record refers to (an item still on its way, a dead-lettered item's error file) is removed once this old.</summary>
    public int UnreferencedDays { get; set; } = 7;
    /// <summary>
    /// No object written (or re-put) within this many hours is removed, whatever the records say: a record that will
    /// point to it may be on its way. A put of content already stored refreshes the object after half this time.
    /// </summary>
    public double MinAgeHours { get; set; } = 1;

    public TimeSpan MinAge => TimeSpan.FromHours(MinAgeHours);
    /// <summary>When a put of content already stored rewrites it to renew its time (zero: never).</summary>
    public TimeSpan RefreshAfter => MinAge / 2;
}
