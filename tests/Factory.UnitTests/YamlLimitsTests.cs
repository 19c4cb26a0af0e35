using System.Diagnostics;
using System.Text;
using Factory.Manifests;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>A hostile plan document is refused by its shape, quickly, with the limit it broke and where.</summary>
public sealed class YamlLimitsTests : IDisposable
{
    private readonly TempManifestStore _store = new();

    public void Dispose() => _store.Dispose();

    private IReadOnlyList<InputError> Errors(string document)
    {
        var store = _store.Load();
        return ErrorAssert.Throws(() => PlanReader.Parse(new StringReader(document), "body", store));
    }

    [Fact]
    public void Deep_nesting_is_refused_before_it_can_overflow_the_stack()
    {
        var depth = 100_000;
        var document = "id: p\nmanifest: app\nlabels: " + new string('[', depth) + new string(']', depth) + "\n";
        ErrorAssert.Has(Errors(document), "body", "", "nested deeper than 64 levels", "line 3");
    }

    [Fact]
    public void Deep_block_nesting_is_refused_too()
    {
        var text = new StringBuilder("id: p\nmanifest: app\nlabels:\n");
        for (var i = 0; i < 200; i++) text.Append(new string(' ', 2 * (i + 1))).Append("k").Append(i).Append(":\n");
        ErrorAssert.Has(Errors(text.ToString()), "body", "", "nested deeper than 64 levels");
    }

    [Fact]
    public void A_billion_laughs_is_refused_by_its_expanded_size()
    {
        var text = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++)
            text.Append($"a{i}: &a{i} [").Append(string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))).Append("]\n");
        ErrorAssert.Has(Errors(text.ToString()), "body", "", "more than 200,000 nodes");
    }

    [Fact]
    public void An_alias_used_as_a_mapping_key_is_refused_at_once()
    {
        var clock = Stopwatch.StartNew();
        var text = new StringBuilder("a0: &a0 {k: v}\n");
        for (var i = 1; i < 30; i++) text.Append($"a{i}: &a{i} {{*a{i - 1} : 1, *a{i - 1} : 2}}\n");
        ErrorAssert.Has(Errors(text.ToString()), "body", "", "alias (*a0) used as a mapping key");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_huge_document_is_refused_by_its_size()
    {
        var document = "id: p\nmanifest: app\ndescription: " + new string('x', 5 * 1024 * 1024) + "\n";
        ErrorAssert.Has(Errors(document), "body", "", "larger than 4,194,304 characters");
    }

    [Fact]
    public void Aliases_in_values_within_the_limits_are_read()
    {
        var plan = _store.LoadPlan("id: p\nmanifest: app\nmatrix:\n  alpha: &v [1.0.0, 1.1.0]\nlabels:\n  a: &l x\n  b: *l\n");
        Assert.Equal(["1.0.0", "1.1.0"], plan.Matrix["alpha"]);
        Assert.Equal("x", plan.Labels["b"]);
    }

    [Fact]
    public void A_cancelled_parse_stops()
    {
        var store = _store.Load();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => PlanReader.Parse(new StringReader(TempManifestStore.PlanYaml), "body", store, cancelled.Token));
    }

    [Fact]
    public void A_plan_over_the_combination_limit_is_refused_with_its_count_before_anything_is_expanded()
    {
        var clock = Stopwatch.StartNew();
        var errors = ErrorAssert.Throws(() => PlanReader.Parse(new StringReader(TempManifestStore.PlanYaml), "body", _store.Load(), maxCombinations: 1));
        ErrorAssert.Has(errors, "body", "matrix", "the plan has 2 combinations", "more than the limit of 1");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Counting_overflow_is_refused_not_wrapped() =>
        Assert.Null(PlanLimits.CountBeforeExcludes(Enumerable.Repeat(1_000_000, 4), 2, 0));
}
