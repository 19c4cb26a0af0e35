using Factory.Manifests;
using Microsoft.Extensions.Configuration;

namespace Factory.Evidence;

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
