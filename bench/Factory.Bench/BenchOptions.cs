namespace Factory.Bench;

/// <param name="Only">Run just this row (and its baseline), e.g. plan_render_100k, which needs no fleet.</param>
/// <param name="Runs">Whole-process runs of each program for plan_render_100k.</param>
public sealed record BenchOptions(int Samples, int Messages, int Repeats, string? Out, string? Only = null, int Runs = 5)
{
    /// <summary>Rows that can run on their own with --only.</summary>
    public static readonly IReadOnlyList<string> StandaloneRows = [PlanRender100k.Id];

    public const string Usage = "usage: Factory.Bench [--samples N (40)] [--messages N (10000)] [--repeats N (20)] [--runs N (5)] [--only plan_render_100k] [--out FILE]";

    public bool Includes(string rowId) => Only is null || Only == rowId;

    /// <summary>The options, or null (after printing the usage) when they are not understood.</summary>
    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions(40, 10_000, 20, null);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            options = (args[i], value) switch
            {
                ("--samples", { } v) when int.TryParse(v, out var n) && n > 0 => options with { Samples = n },
                ("--messages", { } v) when int.TryParse(v, out var n) && n > 0 => options with { Messages = n },
                ("--repeats", { } v) when int.TryParse(v, out var n) && n > 0 => options with { Repeats = n },
                ("--runs", { } v) when int.TryParse(v, out var n) && n > 0 => options with { Runs = n },
                ("--only", { } v) when StandaloneRows.Contains(v) => options with { Only = v },
                ("--out", { } v) => options with { Out = v },
                _ => null,
            };
            if (options is null)
            {
                Console.Error.WriteLine($"bench: cannot read '{args[i]}'{(args[i] == "--only" ? $" (rows that run alone: {string.Join(", ", StandaloneRows)})" : "")}\n{Usage}");
                return null;
            }
            i++;
        }
        return options;
    }
}
