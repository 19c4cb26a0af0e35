using Factory.Contracts.Messages;

namespace Factory.Contracts.Records;

public sealed record EvidenceRef(string Kind, string Uri, string Sha256, long Size, string? Name = null);
