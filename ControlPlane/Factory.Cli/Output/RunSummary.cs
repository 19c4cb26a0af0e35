namespace Factory.Cli.Output;

internal sealed record RunSummary(int Total, int Built, int Reused, int Passed, int Failed, int Expired = 0, int DeadLettered = 0);
