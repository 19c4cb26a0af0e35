namespace Factory.Contracts.Records;

/// <summary>One stage of a work item: render, build, push, test, sbom, provenance, evidence or record.</summary>
public sealed record StageSpan(string Stage, DateTimeOffset StartedAt, long Ms);
