using Factory.Contracts.Messages;

namespace Factory.Contracts.Records;

public sealed record ExecutorIdentity(string Pool, string Host);
