namespace Factory.Cli.Output;

internal sealed record RunTest(string Name, string Status);
