using System.Globalization;
using System.Text;
using Factory.ControlPlane.Fleet;

namespace Factory.Cli.Output;

/// <summary>`factory fleet` without --json: one line per pool (queue, dead letters, oldest wait, throughput), then its executors.</summary>
public static class FleetTable
{
    public static string Render(FleetView fleet)
    {
        var text = new StringBuilder();
        text.AppendLine(Row("POOL", "QUEUED", "DEAD", "OLDEST", "PER MIN", "EXECUTORS"));
        foreach (var pool in fleet.Pools)
        {
            text.AppendLine(Row(pool.Pool, Count(pool.QueueDepth), Count(pool.DeadLetters), Age(pool.OldestQueuedSeconds),
                pool.ThroughputPerMinute.ToString("0.0", CultureInfo.InvariantCulture), $"{pool.BusyExecutors} busy, {pool.IdleExecutors} idle"));
            foreach (var e in pool.Executors)
            {
                var builds = e.CurrentBuilds.Count == 0 ? "-" : string.Join(",", e.CurrentBuilds);
                text.AppendLine($"  {e.ExecutorId} on {e.Host}: {e.State} {e.Busy}/{e.Concurrency}, builds {builds}, heartbeat {Age(e.SecondsSinceHeartbeat)} ago");
            }
        }
        return text.ToString();
    }

    private static string Row(params string[] cells) =>
        string.Join(" ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(i == 0 ? 10 : 8))).TrimEnd();

    private static string Count(long? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static string Age(double? seconds) => seconds switch
    {
        null => "-",
        < 120 => $"{seconds:0.#}s",
        < 7200 => $"{seconds / 60:0}m",
        _ => $"{seconds / 3600:0.#}h",
    };
}
