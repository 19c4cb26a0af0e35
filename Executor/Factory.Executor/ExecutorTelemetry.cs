using System.Diagnostics;

namespace Factory.Executor;

/// <summary>One ActivitySource for the executor; each stage of a work item is its own span.</summary>
public static class ExecutorTelemetry
{
    public const string SourceName = "Factory.Executor";
    public static readonly ActivitySource Source = new(SourceName);
}
