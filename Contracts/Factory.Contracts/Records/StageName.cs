namespace Factory.Contracts.Records;

/// <summary>The names a <see cref="StageSpan"/> may carry, one per *_ms field of <see cref="StageTimings"/>.</summary>
public static class StageName
{
    public const string Render = "render";
    public const string Build = "build";
    public const string Push = "push";
    public const string Test = "test";
    public const string Sbom = "sbom";
    public const string Provenance = "provenance";
    public const string Evidence = "evidence";
    /// <summary>Storing the record: measured by the results consumer, after the executor signed the record.</summary>
    public const string Record = "record";

    public static readonly IReadOnlyList<string> All = [Render, Build, Push, Test, Sbom, Provenance, Evidence, Record];
}
