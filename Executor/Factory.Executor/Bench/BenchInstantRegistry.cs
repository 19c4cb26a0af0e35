using Factory.Executor.Registry;

namespace Factory.Executor.Bench;

/// <summary>BENCH ONLY — the registry side of <see cref="BenchInstantEngine"/>: tagging succeeds without asking any registry.</summary>
public sealed class BenchInstantRegistry : IRegistryTagger
{
    public Task TagAsync(string fromRepository, string digest, string toRepository, string tag, CancellationToken ct) => Task.CompletedTask;
}
