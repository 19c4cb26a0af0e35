namespace Factory.Cli.Output;

internal sealed record RunReportItem(string IdempotencyKey, string ManifestId, string Platform, string Pool,
    IReadOnlyDictionary<string, string> Modules, string Status, string? Reason, Guid BuildId, string? Image, IReadOnlyList<RunTest> Tests);
