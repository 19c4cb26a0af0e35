namespace Factory.Evidence;

public sealed record CollectedObject(string Uri, long Size, string Reason, DateTimeOffset LastModified);
