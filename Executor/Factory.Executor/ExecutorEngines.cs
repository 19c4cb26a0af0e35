namespace Factory.Executor;

/// <summary>The engines an executor can drive (Executor:Engine).</summary>
public static class ExecutorEngines
{
    /// <summary>The Docker engine with BuildKit: the default, and the only one that builds anything.</summary>
    public const string Docker = "docker";
    /// <summary>BENCH ONLY: nothing is built or tested (Bench.BenchInstantEngine).</summary>
    public const string BenchInstant = "bench-instant";

    public static readonly IReadOnlyList<string> All = [Docker, BenchInstant];
}
