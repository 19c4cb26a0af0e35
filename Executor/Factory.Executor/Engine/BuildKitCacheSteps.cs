using System.Text.RegularExpressions;

namespace Factory.Executor.Engine;

/// <summary>
/// Cache hits and misses of a build's Dockerfile steps, read from BuildKit's plain progress: a step is a vertex whose
/// header names its place ("#6 [2/3] RUN ...", "#6 [stage 2/3] RUN ...", "#6 [ 2/11] RUN ..."); it hit the cache when a line "#6 CACHED"
/// follows, and missed when it ran ("#6 DONE" or "#6 ERROR" without CACHED). FROM is not counted: it resolves the base,
/// it builds nothing. Internal vertices ("[internal] load ...", "importing cache manifest") are not steps.
/// </summary>
public static partial class BuildKitCacheSteps
{
    public static (int Hits, int Misses) Count(string log)
    {
        var (_, hits, misses) = Tally(log);
        return (hits, misses);
    }

    /// <summary>The same with every step counted, one neither cached nor run (cancelled when another failed) too: prewarm reports the cached out of all.</summary>
    public static (int Steps, int Hits, int Misses) Tally(string log)
    {
        var steps = new HashSet<string>();
        var cached = new HashSet<string>();
        var ran = new HashSet<string>();
        foreach (var line in log.AsSpan().EnumerateLines())
        {
            var text = line.ToString();
            if (Header().Match(text) is { Success: true } header)
            {
                if (!header.Groups["instruction"].Value.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase)) steps.Add(header.Groups["id"].Value);
            }
            else if (Status().Match(text) is { Success: true } status)
                (status.Groups["status"].Value == "CACHED" ? cached : ran).Add(status.Groups["id"].Value);
        }
        var hits = steps.Count(cached.Contains);
        return (steps.Count, hits, steps.Count(s => !cached.Contains(s) && ran.Contains(s)));
    }

    // BuildKit pads the index to the total's width ("[ 2/11]") and may name a stage or a platform before it.
    [GeneratedRegex(@"^#(?<id>\d+) \[[^\]]*?\d+/\d+\] (?<instruction>.*)$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^#(?<id>\d+) (?<status>CACHED|DONE|ERROR)\b")]
    private static partial Regex Status();
}
