using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;

namespace Factory.Cli.Output;

/// <summary>Progress lines on stderr as records land (stdout stays clean for --json).</summary>
public sealed class ProgressWriter(bool quiet)
{
    private int _done;
    private int _total;
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;

    public void Start(Plan plan, int combinations, int toRun, IReadOnlyList<string> pools)
    {
        _total = toRun;
        if (quiet) return;
        Console.Error.WriteLine($"plan {plan.Id}: {combinations} combinations, {combinations - toRun} reused, {toRun} to run on pools {string.Join(", ", pools)}");
    }

    public void OnRecorded(CompatibilityRecorded recorded)
    {
        var done = Interlocked.Increment(ref _done);
        if (quiet) return;
        var elapsed = DateTimeOffset.UtcNow - _start;
        Console.Error.WriteLine($"[{done}/{_total}] {recorded.IdempotencyKey[..12]} {recorded.Status} ({elapsed.TotalSeconds:0}s)");
    }
}
