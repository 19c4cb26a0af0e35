using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Factory.ControlPlane.Review;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Web.Html;
using Factory.Web.Pages;

namespace Factory.Bench;

/// <summary>
/// The matrix page of 10,000 records rendered server-side, whole (every row, no limit): the matrix built from the
/// records (cells, strips, flakiness) and written as the HTML page, against writing the same 10,000 records as JSON
/// (System.Text.Json, what the plainest API would send) in the same process, alternating, medians. In-process, so it
/// times the page and not the network or the store.
/// </summary>
public static class MatrixPage10k
{
    public const string Id = "matrix_page_10k";
    private const int Records = 10_000;
    private const int RecordsPerCell = 10;
    private static readonly string[] Platforms = ["linux/amd64", "linux/arm64"];

    public sealed record Result(int Records, int Rows, int Cells, long PageBytes, long JsonBytes, int Runs, double PageMedianMs, double JsonMedianMs,
        IReadOnlyList<double> PageMs, IReadOnlyList<double> JsonMs);

    public static Result Run(int runs)
    {
        var now = DateTimeOffset.UtcNow;
        var facts = Make(now);
        var json = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        byte[] Page()
        {
            var matrix = MatrixBuilder.Build("bench", facts, now, 10, TimeSpan.FromDays(14), MatrixFilter.None);
            var query = new MatrixQuery("bench", new Dictionary<string, string>(), null, null, false, int.MaxValue, Platforms);
            var shape = new ManifestShape(Platforms, new Dictionary<string, IReadOnlyList<string>>());
            return Encoding.UTF8.GetBytes(PageLayout.Render("Matrix bench", MatrixPage.Render(matrix, query, shape.SlotVersions(matrix))));
        }
        byte[] Json() => JsonSerializer.SerializeToUtf8Bytes(facts, json);

        Shell.Log($"{Id}: the matrix page of {Records} records against the same records as JSON, {runs} runs of each after a warm-up, alternating");
        var (page, body) = (Page(), Json());
        var text = Encoding.UTF8.GetString(page);
        var rows = CountOf(text, "<tr data-modules=");
        var cells = CountOf(text, "<td class=\"cell\" data-state=");
        if (cells != Records / RecordsPerCell) throw new InvalidOperationException($"{Id}: the page has {cells} cells, expected {Records / RecordsPerCell}");
        List<double> pageMs = [], jsonMs = [];
        for (var i = 0; i < runs; i++)
        {
            pageMs.Add(Time(Page));
            jsonMs.Add(Time(Json));
        }
        return new Result(Records, rows, cells, page.LongLength, body.LongLength, runs, Median(pageMs), Median(jsonMs), pageMs, jsonMs);
    }

    /// <summary>500 combinations of three slots on two platforms, ten records each over the last days; every seventh cell flaky.</summary>
    private static List<RecordFacts> Make(DateTimeOffset now)
    {
        var facts = new List<RecordFacts>(Records);
        var combinations = Records / RecordsPerCell / Platforms.Length;
        for (var c = 0; c < combinations; c++)
        {
            var modules = new[] { ("security", $"1.{c % 5}.0"), ("core", $"2.{c / 5 % 10}.0"), ("light", $"3.{c / 50}.0") }
                .Select(m => new ModuleSelection { Slot = m.Item1, Name = m.Item1, Version = m.Item2, ContentDigest = "sha256:" + Convert.ToHexStringLower(BitConverter.GetBytes(c)).PadLeft(64, '0') })
                .ToList();
            foreach (var platform in Platforms)
                for (var r = 0; r < RecordsPerCell; r++)
                {
                    var failed = c % 7 == 0 ? r % 2 == 0 : c % 11 == 0;
                    facts.Add(new RecordFacts
                    {
                        BuildId = Guid.NewGuid(),
                        IdempotencyKey = $"{c:x8}{platform}".PadRight(64, '0'),
                        PlanId = "bench",
                        ManifestId = "bench",
                        Platform = platform,
                        Status = failed ? RecordStatus.Failed : RecordStatus.Passed,
                        Reason = failed ? FailureReason.TestFailed : null,
                        TestSuiteHash = "sha256:" + new string('5', 64),
                        Image = failed ? null : $"127.0.0.1:5000/factory/bench@sha256:{new string('c', 64)}",
                        TemplateVersion = "1.0.0",
                        BaseDigest = "sha256:" + new string('b', 64),
                        Modules = modules,
                        RecordedAt = now.AddHours(-RecordsPerCell + r).AddSeconds(-c),
                    });
                }
        }
        return facts;
    }

    private static double Time(Func<byte[]> render)
    {
        var clock = Stopwatch.StartNew();
        GC.KeepAlive(render());
        return clock.Elapsed.TotalMilliseconds;
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
