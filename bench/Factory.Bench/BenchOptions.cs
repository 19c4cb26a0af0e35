namespace Factory.Bench;

/// <param name="Only">Measure just these rows (and their baselines); null measures every row.</param>
/// <param name="Rounds">Alternating rounds of job_overhead and of prewarm_first_item.</param>
/// <param name="Runs">Whole-process runs of each program for plan_render_100k.</param>
public sealed record BenchOptions(int Samples, int Messages, int Repeats, string? Out, int Rounds = 3, int Runs = 5, IReadOnlyList<string>? Only = null)
{
    public static readonly string Usage = "usage: Factory.Bench [--samples N (40)] [--messages N (10000)] [--repeats N (3)] [--rounds N (3)] [--runs N (5)] " +
        "[--only ROW[,ROW...]] [--out FILE]\n  rows: " + string.Join(", ", Report.RowIds);

    /// <summary>Whether the row is measured in this run (every row unless --only names some).</summary>
    public bool Measures(string row) => Only is null || Only.Contains(row);

    /// <summary>The options, or null (after printing the usage) when they are not understood.</summary>
    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions(40, 10_000, 3, null);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            options = (args[i], value) switch
            {
                ("--samples", { } v) when int.TryParse(v, out var n) && n > 0 => options with { Samples = n },
                ("--messages", { } v) when int.TryParse(v, out var n) && n > 0 => options with { Messages = n },
                ("--repeats", { } v) when int.TryParse(v, out var n) && n > 0 => options with { Repeats = n },
                ("--rounds", { } v) when int.TryParse(v, out var n) && n > 0 => options with { Rounds = n },
                ("--runs", { } v) when int.TryParse(v, out var n) && n > 0 => options with { Runs = n },
                ("--only", { } v) when v.Split(',', StringSplitOptions.TrimEntries) is var rows && rows.All(Report.RowIds.Contains) => options with { Only = rows },
                ("--out", { } v) => options with { Out = v },
                _ => null,
            };
            if (options is null)
            {
                Console.Error.WriteLine($"bench: cannot read '{args[i]}{(value is null ? "" : " " + value)}'\n{Usage}");
                return null;
            }
            i++;
        }
        return options;
    }
}
