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
    /// <summary>
    /// From the executor's finish to the record handed to the store (signing it, publishing the result, the queue):
    /// measured by the results consumer, so not covered by the record signature.
    /// </summary>
    public const string Record = "record";

    public static readonly IReadOnlyList<string> All = [Render, Build, Push, Test, Sbom, Provenance, Evidence, Record];
}
