namespace Factory.Executor.Stages;

/// <summary>A piece of evidence made by a stage, not stored yet.</summary>
public sealed record EvidenceItem(string Kind, string Name, byte[] Content);
