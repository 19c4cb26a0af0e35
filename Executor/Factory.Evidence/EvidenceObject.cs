namespace Factory.Evidence;

/// <summary>One stored object: its URI, the sha256 it is addressed by, its size, and when it was last written.</summary>
public sealed record EvidenceObject(string Uri, string Sha256, long Size, DateTimeOffset LastModified);
